"""POST /api/v1/auth/token/ — exchange a username and password for an API token."""

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from kinga.core.errors import KingaError

from .base import KingaAPIView


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, style={"input_type": "password"})


class TokenView(KingaAPIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
        summary="Get an API token",
        description="Send it afterwards as `Authorization: Token <token>`.",
    )
    def post(self, request):
        body = TokenRequestSerializer(data=self.body_object(request))
        body.is_valid(raise_exception=True)
        user = authenticate(
            request, username=body.validated_data["username"], password=body.validated_data["password"]
        )
        if user is None or not user.is_active:
            raise KingaError("Unknown username or wrong password.", code="invalid_credentials")
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
