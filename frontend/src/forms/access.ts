// What the server lets this user do with fields and record types (kinga.records.access.visible_config):
// each field may carry `access` ("edit" | "read" | "masked") and `read_only`; `config.access` lists the
// actions per record type. Masked values arrive masked ("A***", "***") and are never sent back.
import type { Config, Field } from "../api/types";

/** The server's mask marker (kinga.accounts.policy.MASK). */
export const MASK = "***";

export function isMaskedField(field: Field | undefined | null): boolean {
  return field?.access === "masked";
}

/** A value the server masked: a string holding the mask, for a field the user sees masked. */
export function isMaskedValue(field: Field | undefined | null, value: unknown): boolean {
  return isMaskedField(field) || (field?.access !== undefined && field.access !== "edit" && typeof value === "string" && value.includes(MASK));
}

/** May the user change this field? (read_only, or access other than "edit", means no.) */
export function isEditable(field: Field | undefined | null): boolean {
  if (!field) return true;
  if (field.read_only) return false;
  return field.access === undefined || field.access === "edit";
}

/** Does the user hold `action` on the record type? A configuration without `access` (a superuser's,
 * or an older server's) means the server decides alone: true. */
export function canDo(config: Config, recordType: string, action: string): boolean {
  const actions = config.access?.[recordType];
  if (!actions) return true;
  return actions.includes(action);
}

/** The field at an issue path ("key" or "subform[2].key"), looked up in a record type's forms. */
function fieldAtPath(top: Field | undefined, path: string): Field | undefined {
  const parts = path.split(".").map((p) => p.replace(/\[\d+\]$/, ""));
  let field = top;
  for (const part of parts.slice(1)) field = field?.fields?.find((c) => c.key === part);
  return field;
}

/** Client-side issues the user can act on: none about fields they may not change (the server is the
 * judge of those; a masked "A***" would fail a name pattern). */
export function actionable<T extends { path: string }>(issues: T[], lookup: (key: string) => Field | undefined): T[] {
  return issues.filter((i) => {
    const top = lookup(i.path.split(/[[.]/)[0]);
    return isEditable(top) && isEditable(fieldAtPath(top, i.path));
  });
}
