// An expression with a live server syntax check (debounced POST expressions/check: the server parses,
// the browser never does), the error column marked with a caret, autocomplete of field keys and
// functions, and the point-and-click condition builder.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { language } from "../i18n";
import { useSignal } from "../lib/signal";
import * as api from "./api";
import { ConditionBuilder } from "./ConditionBuilder";
import { useDraft } from "./context";
import { bt } from "./i18n";
import { applySuggestion, caretLine, completionAt, suggestions, type Completion, type Suggestion } from "./state";
import type { ExpressionCheck } from "./types";

export const CHECK_DELAY_MS = 350;

export function ExpressionInput({
  id,
  label,
  value,
  onChange,
  recordType,
  field,
  conditions = false,
  disabled = false,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  recordType: string;
  /** For a choice_filter: the select field (its option attributes are valid names). */
  field?: string;
  /** Offer the point-and-click condition builder (relevant, required, constraint). */
  conditions?: boolean;
  disabled?: boolean;
}) {
  const { draft, keys, functions, structure, generation } = useDraft();
  const lang = useSignal(language);
  const [check, setCheck] = useState<ExpressionCheck | null>(null);
  const [checking, setChecking] = useState(false);
  const [completion, setCompletion] = useState<Completion | null>(null);
  const [items, setItems] = useState<Suggestion[]>([]);
  const [active, setActive] = useState(0);
  const [builder, setBuilder] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const known = keys(recordType);
  const defaultLang = structure?.default_language ?? "en";

  // Live syntax check: debounced; a newer text cancels the older request.
  useEffect(() => {
    if (!value.trim() || !draft) {
      setCheck(null);
      setChecking(false);
      return;
    }
    setChecking(true);
    const abort = new AbortController();
    const timer = setTimeout(() => {
      api
        .checkExpression({ expr: value, record_type: recordType, draft: draft.id, ...(field ? { field } : {}) }, abort.signal)
        .then((r) => {
          setCheck(r);
          setChecking(false);
        })
        .catch(() => !abort.signal.aborted && setChecking(false));
    }, CHECK_DELAY_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [value, recordType, draft?.id, field, generation]);

  const refresh = (text: string, caret: number) => {
    const c = completionAt(text, caret);
    setCompletion(c);
    const list = c ? suggestions(c, known, functions, lang, defaultLang) : [];
    setItems(list);
    setActive(0);
  };

  const accept = (s: Suggestion) => {
    const el = input.current;
    if (!el || !completion) return;
    const out = applySuggestion(value, el.selectionStart ?? value.length, completion, s.value);
    onChange(out.text);
    setItems([]);
    setCompletion(null);
    requestAnimationFrame(() => {
      el.focus();
      el.setSelectionRange(out.caret, out.caret);
    });
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (!items.length) return;
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setActive((a) => (a + 1) % items.length);
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setActive((a) => (a - 1 + items.length) % items.length);
    } else if (e.key === "Enter" || e.key === "Tab") {
      e.preventDefault();
      accept(items[active]);
    } else if (e.key === "Escape") {
      setItems([]);
    }
  };

  const error = check && !check.ok ? check.error : null;
  const listId = `${id}-suggestions`;
  const statusId = `${id}-status`;
  const refs = useMemo(() => (check?.references ?? []).map((r) => `\${${r}}`).join(", "), [check]);

  return (
    <div class={`b-expr${error ? " has-error" : ""}`} data-expr={id}>
      <label class="field-label" for={id}>
        {label}
      </label>
      <div class="b-expr-box">
        <input
          ref={input}
          id={id}
          class="input b-code"
          dir="ltr"
          spellcheck={false}
          autoComplete="off"
          disabled={disabled}
          value={value}
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={items.length > 0}
          aria-controls={listId}
          aria-activedescendant={items.length ? `${listId}-${active}` : undefined}
          aria-invalid={error ? true : undefined}
          aria-describedby={statusId}
          onInput={(e) => {
            const el = e.currentTarget as HTMLInputElement;
            onChange(el.value);
            refresh(el.value, el.selectionStart ?? el.value.length);
          }}
          onKeyDown={onKeyDown}
          onClick={(e) => {
            const el = e.currentTarget as HTMLInputElement;
            refresh(el.value, el.selectionStart ?? el.value.length);
          }}
          onBlur={() => setTimeout(() => setItems([]), 150)}
        />
        {items.length > 0 && (
          <ul class="b-suggest" id={listId} role="listbox" aria-label={bt("autocomplete")} dir="ltr">
            {items.map((s, i) => (
              <li
                key={s.value}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                class={i === active ? "active" : ""}
                data-value={s.value}
                onMouseDown={(e) => {
                  e.preventDefault();
                  accept(s);
                }}
              >
                <code>{s.label}</code> <span class="muted">{s.detail}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div id={statusId} class="b-expr-status" aria-live="polite">
        {checking && value.trim() ? (
          <span class="muted">{bt("expr_checking")}</span>
        ) : error ? (
          <div class="b-expr-error" role="alert">
            <pre class="b-caret" dir="ltr" aria-hidden="true">
              {value}
              {"\n"}
              <span class="b-caret-mark">{caretLine(error.column)}</span>
            </pre>
            <p class="field-error">
              {error.column ? bt("expr_error_at", { column: error.column, message: error.message }) : error.message}
              {error.expected ? ` — ${bt("expr_expected", { expected: error.expected })}` : ""}
            </p>
          </div>
        ) : check?.ok ? (
          <span class="b-expr-ok">
            ✓ {bt("expr_ok")}
            {refs && <span class="muted"> · {bt("expr_refs", { refs })}</span>}
          </span>
        ) : null}
      </div>
      {conditions && !disabled && (
        <div class="b-cond-toggle">
          <button type="button" class="button-small" aria-expanded={builder} onClick={() => setBuilder((b) => !b)}>
            {bt("condition_builder")}
          </button>
        </div>
      )}
      {builder && (
        <ConditionBuilder
          expr={value}
          recordType={recordType}
          onApply={(expr) => {
            onChange(expr);
            setBuilder(false);
          }}
          onCancel={() => setBuilder(false)}
        />
      )}
    </div>
  );
}
