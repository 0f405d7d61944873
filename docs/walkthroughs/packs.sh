#!/usr/bin/env bash
# Issue-2 acceptance walkthrough on a scratch SQLite database: broken packs, unsafe change refused then
# accepted with declared migrations, apply -> export -> diff empty, rollback restores exactly.
set -u
W=$(mktemp -d)
cd "$(dirname "$0")/../.."
export DATABASE_URL=sqlite:///$W/demo.sqlite3
K=.venv/bin/kinga
$K migrate -v0
echo "### 1. broken packs"
for d in tests/configpacks/packs/broken/*/; do
  out=$($K pack validate "$d" --base tests/configpacks/packs 2>&1); rc=$?
  echo "[rc=$rc] $(echo "$out" | head -1 | cut -c1-220)"
  echo "$out" | grep -q Traceback && echo "!!! TRACEBACK"
done
echo "### 2. apply base, add records"
$K pack apply tests/configpacks/packs/good_base --note "base" | tail -1
$K pack export $W/export_v1
$K manage shell -c "
from kinga.records.actions import create_record
create_record(user=None, record_type='case', data={'name_first': 'Amina', 'sex': 'female', 'nickname': 'Mimi', 'risk_level': 'very_high'})
create_record(user=None, record_type='case', data={'name_first': 'Juma', 'sex': 'male', 'risk_level': 'low'})
print('records created')"
echo "### 3. unsafe overlay refused (nickname holds data)"
$K pack apply tests/configpacks/packs/good_overlay; echo "rc=$?"
cp -r tests/configpacks/packs/good_overlay $W/overlay2
cat >> $W/overlay2/lookups/person.yaml <<'YAML'
    - {code: very_high, remove: true}
YAML
printf -- "- archive_field: nickname\n" > $W/overlay2/migrations.yaml
echo "### 4. archive declared, but removed option very_high is in use"
$K pack diff $W/overlay2 --base tests/configpacks/packs/good_base | grep -B1 -A1 UNSAFE
$K pack apply $W/overlay2 --base tests/configpacks/packs/good_base; echo "rc=$?"
printf -- "- map_options: {field: risk_level, map: {very_high: high}}\n" >> $W/overlay2/migrations.yaml
echo "### 5. dry run, then apply with declared migrations"
$K pack apply $W/overlay2 --base tests/configpacks/packs/good_base --dry-run | tail -4
$K pack apply $W/overlay2 --base tests/configpacks/packs/good_base --note "country overlay" | tail -4
$K manage shell -c "
from kinga.records.models import Record
for r in Record.objects.order_by('created_at'): print(r.short_id, r.data)"
echo "### 6. export -> diff is empty; re-apply is a no-op"
$K pack export $W/export_v2
$K pack diff $W/export_v2
$K pack apply $W/export_v2 | tail -1
echo "### 7. history, rollback, compare exports"
$K pack history
$K pack rollback | tail -2
$K pack export $W/export_v3
diff -r $W/export_v1 $W/export_v3 && echo "export after rollback == export of v1"
$K pack history
$K pack rollback 99; echo "rc=$?"
