"""Users, agencies and user groups. Roles are pack data: a user holds role ids from the active config."""

from django.contrib.auth.models import AbstractUser
from django.db import models


class Agency(models.Model):
    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.name


class UserGroup(models.Model):
    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT)

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="users")
    groups_kinga = models.ManyToManyField(UserGroup, blank=True, related_name="members")
    # Location code from the pack's hierarchy; scopes by location subtree use it.
    location = models.CharField(max_length=64, blank=True, default="")
    # Role ids defined by the active configuration's roles (pack data).
    roles = models.JSONField(default=list, blank=True)
    language = models.CharField(max_length=16, default="en")
    time_zone = models.CharField(max_length=64, default="UTC")
