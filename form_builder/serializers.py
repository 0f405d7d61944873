"""Request/response shapes of the builder API, for validation of simple bodies and the OpenAPI docs.
Deeper checks (an operation's payload, a pack's content) are the services' job and answer 4xx with
sentences."""

from __future__ import annotations

from rest_framework import serializers


class DraftCreateSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    namespace = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=16,
        help_text="Prefix new keys must carry (kv → kv_school). Default: inferred from the active overlay.",
    )
    file = serializers.FileField(
        required=False, help_text="A pack as .zip (multipart); omit to start from the active configuration."
    )


class DraftSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=["open", "published", "discarded"])
    revision = serializers.IntegerField()
    namespace = serializers.CharField()
    base_version = serializers.IntegerField(allow_null=True)
    published_version = serializers.IntegerField(allow_null=True)
    created_by = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class DraftPatchSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)


class OperationSerializer(serializers.Serializer):
    op = serializers.CharField(
        required=False, help_text="One operation (see docs/form_builder.md): add_field, ..."
    )
    ops = serializers.ListField(
        child=serializers.DictField(), required=False, help_text="Several, all or none."
    )
    revision = serializers.IntegerField(
        required=False, help_text="The revision you loaded; 409 if it changed."
    )


class OperationResultSerializer(serializers.Serializer):
    revision = serializers.IntegerField()
    results = serializers.ListField(child=serializers.DictField())


class PublishSerializer(serializers.Serializer):
    migrations = serializers.ListField(
        child=serializers.DictField(),
        required=False,
        help_text="Declared data migrations: {archive_field: key}, {map_options: {field, map}}, {retype_field: {field, from}}.",
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    force = serializers.BooleanField(
        required=False, default=False, help_text="Publish even if another version became active."
    )


class PublishResultSerializer(serializers.Serializer):
    changed = serializers.BooleanField()
    version = serializers.IntegerField(allow_null=True)
    content_hash = serializers.CharField(allow_null=True)
    diff = serializers.DictField()
    migrations = serializers.ListField(child=serializers.DictField())
    text = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    rule = serializers.CharField()
    message = serializers.CharField()
    severity = serializers.CharField()
    file = serializers.CharField(allow_blank=True)
    line = serializers.IntegerField(allow_null=True)
    path = serializers.CharField(allow_blank=True)
    form = serializers.CharField(allow_null=True, required=False)
    section = serializers.CharField(allow_null=True, required=False)
    field = serializers.CharField(allow_null=True, required=False)
    lookup = serializers.CharField(allow_null=True, required=False)
    text = serializers.CharField(required=False)


class ValidationSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    errors = serializers.IntegerField()
    warnings = serializers.IntegerField()
    problems = ProblemSerializer(many=True)
    summary = serializers.CharField()


class ExpressionCheckSerializer(serializers.Serializer):
    expr = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=20000)
    record_type = serializers.CharField(required=False)
    draft = serializers.IntegerField(
        required=False, help_text="Check references against this draft's fields."
    )
    field = serializers.CharField(
        required=False,
        help_text="For a choice_filter: the select field, whose option attributes are valid names.",
    )


class ExpressionErrorSerializer(serializers.Serializer):
    message = serializers.CharField()
    column = serializers.IntegerField(allow_null=True)
    expected = serializers.CharField(allow_null=True)
    code = serializers.CharField()


class ExpressionResultSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    ast = serializers.DictField(allow_null=True)
    error = ExpressionErrorSerializer(allow_null=True)
    references = serializers.ListField(child=serializers.CharField())
    functions = serializers.ListField(child=serializers.CharField())
    unknown_fields = serializers.ListField(child=serializers.CharField())


class ClauseSerializer(serializers.Serializer):
    field = serializers.CharField()
    op = serializers.ChoiceField(
        choices=["=", "!=", "<", "<=", ">", ">=", "selected", "not_selected", "empty", "not_empty"]
    )
    value = serializers.JSONField(required=False, allow_null=True)
    type = serializers.CharField(required=False, help_text="Field type, when no record_type is given.")


class ConditionBuildSerializer(serializers.Serializer):
    clauses = ClauseSerializer(many=True)
    join = serializers.ChoiceField(choices=["and", "or"], default="and")
    record_type = serializers.CharField(required=False)
    draft = serializers.IntegerField(required=False)


class ConditionParseSerializer(serializers.Serializer):
    expr = serializers.CharField(trim_whitespace=False, max_length=20000)


class RollbackSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, help_text="Default: the version before the active one."
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class XLSFormImportSerializer(serializers.Serializer):
    file = serializers.FileField()
    record_type = serializers.CharField(required=False, help_text="Default: the settings sheet's, else case.")
    form_id = serializers.CharField(required=False)
    prefix = serializers.CharField(
        required=False, allow_blank=True, help_text="Default: the draft's namespace."
    )
    replace = serializers.BooleanField(required=False, default=False)
    revision = serializers.IntegerField(required=False)
