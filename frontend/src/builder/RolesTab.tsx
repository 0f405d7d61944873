// Which forms and fields each role sees or edits (set_form_permission / set_field_permission).
import { useState } from "preact/hooks";
import { useDraft } from "./context";
import { bt, type BuilderKey } from "./i18n";
import { allKeys, display, findField, formsOfType, roleDefault } from "./state";
import type { BRole } from "./types";
import { ServerRefusal } from "./ui";

const FORM_LEVELS = ["hidden", "read", "edit"] as const;
const FIELD_LEVELS = ["hidden", "masked", "read", "edit"] as const;

export function RolesTab({ lang }: { lang: string }) {
  const { structure, run, busy, refusalAt, clearRefusal } = useDraft();
  const refusal = refusalAt("roles");
  const [rt, setRt] = useState(structure?.record_types.includes("case") ? "case" : structure?.record_types[0] ?? "");
  const [formId, setFormId] = useState("");
  if (!structure) return null;
  const defaultLang = structure.default_language;
  const roles = structure.roles.filter((r) => roleDefault(r, rt) !== "hidden");
  const forms = formsOfType(structure, rt);
  const form = forms.find((f) => f.id === formId);

  const levelSelect = (role: BRole, kind: "form" | "field", name: string, current: string | undefined, levels: readonly string[]) => (
    <select
      class="input input-small"
      aria-label={`${role.id} ${name}`}
      data-role={role.id}
      data-target={name}
      value={current ?? ""}
      disabled={busy}
      onChange={(e) => {
        const v = (e.currentTarget as HTMLSelectElement).value;
        void run([{ op: kind === "form" ? "set_form_permission" : "set_field_permission", role: role.id, [kind]: name, access: v || null }], "roles");
      }}
    >
      <option value="">{bt("access_default", { level: bt(`access_${roleDefault(role, rt)}` as BuilderKey) })}</option>
      {levels.map((l) => (
        <option key={l} value={l}>
          {bt(`access_${l}` as BuilderKey)}
        </option>
      ))}
    </select>
  );

  return (
    <div class="b-roles">
      <p class="muted">{bt("roles_help")}</p>
      <div class="b-toolbar card">
        <div>
          <label class="field-label" for="ro-rt">
            {bt("record_type")}
          </label>
          <select id="ro-rt" class="input" value={rt} onChange={(e) => (setRt((e.currentTarget as HTMLSelectElement).value), setFormId(""))}>
            {structure.record_types.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ServerRefusal refusal={refusal} onClose={clearRefusal} />
      <h2>{bt("role_form_access")}</h2>
      <div class="b-table-wrap">
        <table class="b-table b-roles-table">
          <thead>
            <tr>
              <th scope="col">{bt("preview_form")}</th>
              {roles.map((r) => (
                <th scope="col" key={r.id} title={r.id}>
                  {display(r.label, lang, defaultLang) || r.id}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {forms.map((f) => (
              <tr key={f.id} class={f.id === formId ? "current" : ""}>
                <th scope="row">
                  <button type="button" class="link" onClick={() => setFormId(f.id)}>
                    {display(f.label, lang, defaultLang) || f.id}
                  </button>
                </th>
                {roles.map((r) => (
                  <td key={r.id}>{levelSelect(r, "form", f.id, r.forms?.[f.id], FORM_LEVELS)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {form && (
        <>
          <h2>{bt("role_field_access", { form: display(form.label, lang, defaultLang) || form.id })}</h2>
          <div class="b-table-wrap">
            <table class="b-table b-roles-table">
              <thead>
                <tr>
                  <th scope="col">{bt("field_key")}</th>
                  {roles.map((r) => (
                    <th scope="col" key={r.id}>
                      {display(r.label, lang, defaultLang) || r.id}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {allKeys(form).map((key) => (
                  <tr key={key}>
                    <th scope="row">
                      {display(findField(structure, key, form.id)?.field.label, lang, defaultLang) || key} <code class="b-key">{key}</code>
                    </th>
                    {roles.map((r) => (
                      <td key={r.id}>{levelSelect(r, "field", key, r.fields?.[key], FIELD_LEVELS)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}
