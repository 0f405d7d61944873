// The automatic case summary at the top of the case view: who (title, age, sex, place), how urgent
// (risk, concerns), where it stands (status, open deadlines), and what is in motion (last follow-up,
// open referrals). Facts come from the record and its workflow; which fields count is in
// summary/preferences.ts.
import { useEffect, useState } from "preact/hooks";
import { recordWorkflow } from "../api/client";
import type { Config, KRecord, RecordWorkflow } from "../api/types";
import { daysOverdue, statusLabel } from "../dashboard/logic";
import { label, t } from "../i18n";
import { isHighRisk, keyFacts, lastFollowUp, openDeadlines, openReferrals } from "../summary/summary";
import { formatValue } from "../forms/format";

export function CaseSummary({ config, record, lang }: { config: Config; record: KRecord; lang: string }) {
  const [workflow, setWorkflow] = useState<RecordWorkflow | null>(null);
  useEffect(() => {
    let cancelled = false;
    if (!config.workflows?.[record.record_type]) return;
    recordWorkflow(record.record_type, record.id)
      .then((w) => !cancelled && setWorkflow(w))
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [record.id, record.version, lang]);

  const rt = record.record_type;
  const facts = keyFacts(config, rt, record.data);
  const high = isHighRisk(config, rt, record.data);
  const deadlines = openDeadlines(workflow);
  const followUp = lastFollowUp(config, rt, record.data);
  const referrals = openReferrals(config, rt, record.data);
  const status = workflow?.status_label || statusLabel(config, rt, record.status, lang);
  const date = (iso: string) => formatValue(config, { key: "", type: iso.length > 10 ? "datetime" : "date", label: {} }, iso, lang);

  return (
    <div class={`case-summary${high ? " is-high-risk" : ""}`} data-summary="auto">
      <dl class="facts">
        {status && (
          <div class="fact" data-fact="status">
            <dt>{t("status")}</dt>
            <dd>{status}</dd>
          </div>
        )}
        {facts.map(({ field, value }) => (
          <div class={`fact${field.key === "risk_level" && high ? " fact-danger" : ""}`} key={field.key} data-fact={field.key}>
            <dt>{label(field.label, lang)}</dt>
            <dd>{formatValue(config, field, value, lang)}</dd>
          </div>
        ))}
        {followUp && (
          <div class="fact" data-fact="last_follow_up">
            <dt>{t("last_follow_up")}</dt>
            <dd>{formatValue(config, followUp.field, followUp.date, lang)}</dd>
          </div>
        )}
      </dl>
      {deadlines.length > 0 && (
        <div class="summary-block" data-fact="deadlines">
          <h3>{t("open_deadlines")}</h3>
          <ul class="deadline-list">
            {deadlines.map((d) => {
              const due = d.due_date ?? d.due_at;
              const late = d.state === "overdue";
              return (
                <li key={d.deadline} class={`deadline deadline-${d.state}`} data-deadline={d.deadline} data-state={d.state}>
                  <span class="deadline-label">{d.label || d.deadline}</span>{" "}
                  {due && (
                    <span class={late ? "chip chip-danger" : "chip"}>
                      {late ? t("overdue_since", { days: daysOverdue(due), date: date(due) }) : t("due_on", { date: date(due) })}
                    </span>
                  )}
                </li>
              );
            })}
          </ul>
        </div>
      )}
      {referrals && referrals.rows.length > 0 && (
        <div class="summary-block" data-fact="open_referrals">
          <h3>{t("open_referrals", { count: referrals.rows.length })}</h3>
          <ul>
            {referrals.rows.map((row, i) => (
              <li key={i}>
                {referrals.what
                  .map((f) => (row[f.key] == null ? "" : formatValue(config, f, row[f.key], lang)))
                  .filter((s) => s && s !== "—")
                  .join(" → ") || t("row_n", { n: i + 1 })}
                {referrals.statusField && row[referrals.statusField.key] != null && (
                  <span class="chip"> {formatValue(config, referrals.statusField, row[referrals.statusField.key], lang)}</span>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
