// "Is this child already registered?" Shown before a new person record is saved when the server finds
// likely duplicates: ranked, with the score and the server's reasons per field in plain words. A
// candidate the user may not see shows only what the server sent: its agency and score, with a way
// to ask for access. Nothing else about it (no name, no id) exists on this device.
import { useEffect, useState } from "preact/hooks";
import { getRecord, requestAccess } from "../api/client";
import type { Config, DuplicateCandidate, RestrictedCandidate, VisibleCandidate } from "../api/types";
import { fieldInfo, recordTitle, type Data } from "../forms/engine";
import { label, t } from "../i18n";
import { href } from "../lib/router";
import { formatValue } from "../forms/format";
import { describeReason, percent } from "./logic";

export interface DuplicatePanelProps {
  config: Config;
  recordType: string;
  lang: string;
  candidates: DuplicateCandidate[];
  /** The values being registered (to say "you entered …" next to a reason). */
  mine: Data;
  onContinue: () => void;
  /** A save is waiting on the answer. */
  blocking?: boolean;
}

const MARK = { strong: "✓", partial: "≈", weak: "✗" } as const;

export function DuplicatePanel({ config, recordType, lang, candidates, mine, onContinue, blocking }: DuplicatePanelProps) {
  if (!candidates.length) return null;
  const typeLabel = label(config.record_types[recordType]?.label, lang) || recordType;
  return (
    <section class="panel duplicate-panel" role={blocking ? "alert" : "region"} aria-labelledby="dup-title" data-count={candidates.length}>
      <h2 id="dup-title">{t("dup_title", { count: candidates.length })}</h2>
      <p class="muted">{t("dup_help")}</p>
      <ol class="dup-list">
        {candidates.map((c, i) =>
          c.restricted ? (
            <RestrictedItem key={`r${i}`} candidate={c} />
          ) : (
            <VisibleItem key={c.record_id} config={config} recordType={recordType} lang={lang} candidate={c} mine={mine} typeLabel={typeLabel} />
          ),
        )}
      </ol>
      <div class="dup-actions">
        <button type="button" class="button-primary" onClick={onContinue} data-action="not-duplicate">
          {t("dup_not_duplicate")}
        </button>
      </div>
    </section>
  );
}

function VisibleItem({ config, recordType, lang, candidate, mine, typeLabel }: {
  config: Config;
  recordType: string;
  lang: string;
  candidate: VisibleCandidate;
  mine: Data;
  typeLabel: string;
}) {
  const [title, setTitle] = useState("");
  useEffect(() => {
    let cancelled = false;
    getRecord(candidate.record_type, candidate.record_id)
      .then((r) => !cancelled && setTitle(recordTitle(config, r.record_type, r.data)))
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [candidate.record_id]);
  const reasons = candidate.reasons.map((r) => describeReason(config, candidate.record_type || recordType, r, lang, mine));
  const otherType = candidate.record_type !== recordType ? label(config.record_types[candidate.record_type]?.label, lang) : "";
  return (
    <li class="dup-item card" data-record={candidate.record_id}>
      <div class="dup-head">
        <span class="dup-name">
          {title && <bdi class="record-title">{title}</bdi>} <bdi class="record-id">{candidate.short_id}</bdi>
          {otherType && <span class="chip">{otherType}</span>}
          {candidate.same_person && <span class="chip chip-warning">{t("dup_same_person")}</span>}
        </span>
        <span class="dup-score" title={t("dup_score")}>
          {percent(candidate.score)}
        </span>
      </div>
      {reasons.length > 0 && (
        <ul class="dup-reasons">
          {reasons.map((r) => {
            const field = fieldInfo(config, recordType, r.field)?.field;
            const entered = field && r.mine !== undefined && r.mine !== null && r.mine !== "" ? formatValue(config, field, r.mine, lang) : "";
            return (
              <li key={r.field} class={`dup-reason dup-${r.strength}`} data-field={r.field}>
                <span class="dup-mark" aria-hidden="true">
                  {MARK[r.strength]}
                </span>{" "}
                <strong>{r.fieldLabel}</strong>: {r.text}
                {entered && (
                  <span class="muted">
                    {" "}
                    ({t("dup_you_entered")} <bdi>{entered}</bdi>)
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <a class="button-secondary" href={href(`/records/${candidate.record_type}/${candidate.record_id}`)} data-action="open-existing">
        {t("dup_open_existing", { type: typeLabel.toLocaleLowerCase(lang) })}
      </a>
    </li>
  );
}

function RestrictedItem({ candidate }: { candidate: RestrictedCandidate }) {
  const [reason, setReason] = useState("");
  const [state, setState] = useState<"idle" | "open" | "sending" | "sent" | "failed">("idle");
  const agency = candidate.agency || t("dup_another_agency");
  const send = async (e: Event) => {
    e.preventDefault();
    if (!reason.trim()) return;
    setState("sending");
    try {
      await requestAccess(candidate.access_ref, reason.trim());
      setState("sent");
    } catch {
      setState("failed");
    }
  };
  return (
    <li class="dup-item dup-restricted card" data-restricted="true">
      <div class="dup-head">
        <span class="dup-name">{t("dup_restricted", { agency })}</span>
        <span class="dup-score" title={t("dup_score")}>
          {percent(candidate.score)}
        </span>
      </div>
      <p class="muted">{t("dup_restricted_help")}</p>
      {state === "sent" ? (
        <p class="banner banner-info" role="status">
          {t("dup_access_requested", { agency })}
        </p>
      ) : state === "idle" ? (
        <button type="button" class="button-secondary" onClick={() => setState("open")} data-action="request-access">
          {t("dup_request_access")}
        </button>
      ) : (
        <form class="dup-access" onSubmit={send}>
          <label class="field-label" for={`dup-reason-${candidate.access_ref.slice(-8)}`}>
            {t("dup_access_reason")}
          </label>
          <textarea
            id={`dup-reason-${candidate.access_ref.slice(-8)}`}
            class="input"
            rows={2}
            maxLength={2000}
            value={reason}
            onInput={(e) => setReason((e.currentTarget as HTMLTextAreaElement).value)}
            required
          />
          {state === "failed" && <p class="field-error">{t("dup_access_failed")}</p>}
          <button type="submit" class="button-secondary" disabled={!reason.trim() || state === "sending"} data-action="send-access-request">
            {state === "sending" ? t("saving") : t("dup_request_access")}
          </button>
        </form>
      )}
    </li>
  );
}
