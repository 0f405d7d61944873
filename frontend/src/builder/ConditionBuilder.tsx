// Point-and-click conditions: field, operator, value; joined by and/or. The server writes the
// expression text (POST conditions/build) and reads simple ones back (POST conditions/parse), so the
// builder and the text box always speak the same language.
import { useEffect, useState } from "preact/hooks";
import { language } from "../i18n";
import { useSignal } from "../lib/signal";
import * as api from "./api";
import { refusalOf, useDraft, type Refusal } from "./context";
import { bt, type BuilderKey } from "./i18n";
import { display } from "./state";
import type { Clause, ClauseOp, KeyInfo } from "./types";
import { ServerRefusal } from "./ui";

const OP_LABEL: Record<ClauseOp, BuilderKey> = {
  "=": "op_eq",
  "!=": "op_ne",
  "<": "op_lt",
  "<=": "op_le",
  ">": "op_gt",
  ">=": "op_ge",
  selected: "op_selected",
  not_selected: "op_not_selected",
  empty: "op_empty",
  not_empty: "op_not_empty",
};

/** Operators that make sense for a field type. */
export function opsFor(type: string | undefined): ClauseOp[] {
  switch (type) {
    case "select_multiple":
      return ["selected", "not_selected", "empty", "not_empty"];
    case "select_one":
    case "yes_no":
    case "tick_box":
    case "text":
    case "textarea":
    case "location":
      return ["=", "!=", "empty", "not_empty"];
    default:
      return ["=", "!=", "<", "<=", ">", ">=", "empty", "not_empty"];
  }
}

const isNumeric = (k: KeyInfo) => ["integer", "decimal"].includes(k.type) || ["number", "integer"].includes(k.kind ?? "");

function valueChoices(k: KeyInfo | undefined, lang: string, defaultLang: string): { code: string; label: string }[] | null {
  if (!k) return null;
  if (k.options) return k.options.filter((o) => !o.retired).map((o) => ({ code: o.code, label: display(o.label, lang, defaultLang) || o.code }));
  if (k.type === "yes_no") return [{ code: "yes", label: bt("yes") }, { code: "no", label: bt("no") }];
  if (k.type === "tick_box") return [{ code: "true", label: bt("yes") }];
  return null;
}

export function ConditionBuilder({ expr, recordType, onApply, onCancel }: { expr: string; recordType: string; onApply: (expr: string) => void; onCancel: () => void }) {
  const { draft, keys, structure } = useDraft();
  const lang = useSignal(language);
  const defaultLang = structure?.default_language ?? "en";
  const known = keys(recordType).filter((k) => k.type !== "subform" && k.type !== "note" && k.type !== "section");
  const [clauses, setClauses] = useState<Clause[]>([{ field: "", op: "=", value: "" }]);
  const [join, setJoin] = useState<"and" | "or">("and");
  const [complex, setComplex] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!expr.trim()) return;
    api
      .parseCondition(expr)
      .then((r) => {
        if (r.simple && r.clauses?.length) {
          setClauses(r.clauses.map((c) => ({ ...c, value: c.value ?? "" })));
          setJoin(r.join ?? "and");
        } else setComplex(true);
      })
      .catch((e) => setRefusal(refusalOf(e)));
  }, []);

  const set = (i: number, patch: Partial<Clause>) => setClauses((cs) => cs.map((c, j) => (j === i ? { ...c, ...patch } : c)));

  const apply = async () => {
    setBusy(true);
    setRefusal(null);
    try {
      const sent = clauses
        .filter((c) => c.field)
        .map((c) => {
          const k = known.find((x) => x.key === c.field);
          const numeric = k && isNumeric(k) && typeof c.value === "string" && c.value.trim() !== "" && !Number.isNaN(Number(c.value));
          return c.op === "empty" || c.op === "not_empty" ? { field: c.field, op: c.op } : { ...c, value: numeric ? Number(c.value) : c.value };
        });
      const r = await api.buildCondition({ clauses: sent, join, record_type: recordType, draft: draft?.id });
      onApply(r.expr);
    } catch (e) {
      setRefusal(refusalOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="b-cond card" role="group" aria-label={bt("condition_builder")}>
      {complex && <p class="banner banner-warning">{bt("condition_complex")}</p>}
      <div class="b-cond-join" role="radiogroup">
        <label class="b-check">
          <input type="radio" name="cond-join" checked={join === "and"} onChange={() => setJoin("and")} /> {bt("condition_all")}
        </label>
        <label class="b-check">
          <input type="radio" name="cond-join" checked={join === "or"} onChange={() => setJoin("or")} /> {bt("condition_any")}
        </label>
      </div>
      {clauses.map((c, i) => {
        const k = known.find((x) => x.key === c.field);
        const ops = opsFor(k?.type);
        const choices = valueChoices(k, lang, defaultLang);
        const needsValue = c.op !== "empty" && c.op !== "not_empty";
        return (
          <div class="b-clause" key={i} data-clause={i}>
            <label class="visually-hidden" for={`cond-field-${i}`}>
              {bt("condition_field")}
            </label>
            <select
              id={`cond-field-${i}`}
              class="input b-cond-field"
              value={c.field}
              onChange={(e) => {
                const key = (e.currentTarget as HTMLSelectElement).value;
                const nk = known.find((x) => x.key === key);
                const nextOps = opsFor(nk?.type);
                set(i, { field: key, op: nextOps.includes(c.op) ? c.op : nextOps[0], value: "" });
              }}
            >
              <option value="">{bt("condition_field")}…</option>
              {known.map((x) => (
                <option key={x.key} value={x.key}>
                  {display(x.label, lang, defaultLang) || x.key} ({x.key})
                </option>
              ))}
            </select>
            <label class="visually-hidden" for={`cond-op-${i}`}>
              {bt("condition_op")}
            </label>
            <select id={`cond-op-${i}`} class="input b-cond-op" value={c.op} onChange={(e) => set(i, { op: (e.currentTarget as HTMLSelectElement).value as ClauseOp })}>
              {ops.map((op) => (
                <option key={op} value={op}>
                  {bt(OP_LABEL[op])}
                </option>
              ))}
            </select>
            {needsValue && (
              <>
                <label class="visually-hidden" for={`cond-value-${i}`}>
                  {bt("condition_value")}
                </label>
                {choices ? (
                  <select id={`cond-value-${i}`} class="input b-cond-value" value={String(c.value ?? "")} onChange={(e) => set(i, { value: (e.currentTarget as HTMLSelectElement).value })}>
                    <option value="">{bt("choose")}</option>
                    {choices.map((o) => (
                      <option key={o.code} value={o.code}>
                        {o.label}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input
                    id={`cond-value-${i}`}
                    class="input b-cond-value"
                    type={(k?.type === "date" || k?.kind === "date" ? "date" : k && isNumeric(k) ? "number" : "text") as "text"}
                    value={String(c.value ?? "")}
                    onInput={(e) => set(i, { value: (e.currentTarget as HTMLInputElement).value })}
                  />
                )}
              </>
            )}
            {clauses.length > 1 && (
              <button type="button" class="button-small danger" onClick={() => setClauses((cs) => cs.filter((_c, j) => j !== i))} aria-label={bt("remove")}>
                ×
              </button>
            )}
          </div>
        );
      })}
      <ServerRefusal refusal={refusal} />
      <div class="b-actions">
        <button type="button" class="button-small" onClick={() => setClauses((cs) => [...cs, { field: "", op: "=", value: "" }])}>
          + {bt("condition_add")}
        </button>
        <button type="button" class="button-primary b-cond-apply" disabled={busy || !clauses.some((c) => c.field)} onClick={() => void apply()}>
          {bt("condition_apply")}
        </button>
        <button type="button" class="button-secondary" onClick={onCancel}>
          {bt("cancel")}
        </button>
      </div>
    </div>
  );
}
