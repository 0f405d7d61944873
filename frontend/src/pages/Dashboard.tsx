// "My work": what needs the caseworker today. Counts first (one tap to each list), then overdue
// actions on my cases, open high-risk cases, records waiting on an approval, recent work, and anything
// still waiting on this device. Everything comes from the configuration's workflow and the APIs:
// GET /workflow/my-overdue/, /workflow/deadlines/?state=overdue and the records list.
import { useEffect, useState } from "preact/hooks";
import { deadlineReport, getRecord, listRecords, myOverdue } from "../api/client";
import type { Config, DeadlineReport, KRecord } from "../api/types";
import { approvalStatuses, closedStatuses, daysOverdue, groupOverdue, type OverdueRecord, openCount, overdueByDeadline, statusLabel } from "../dashboard/logic";
import { canDo } from "../forms/access";
import { fieldInfo, recordTitle } from "../forms/engine";
import { formatValue } from "../forms/format";
import { t } from "../i18n";
import { href } from "../lib/router";
import { type Draft, listDrafts } from "../store/db";
import { SUMMARY_PREFERENCES } from "../summary/preferences";
import { RecordCard } from "./RecordCard";

const LIST_SIZE = 10;

/** Runs at most `n` requests at a time (a phone on a weak network, and a small server, both prefer it). */
function limiter(n: number) {
  let running = 0;
  const queue: (() => void)[] = [];
  const next = () => {
    if (running >= n || !queue.length) return;
    running++;
    queue.shift()!();
  };
  return <T,>(task: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      queue.push(() =>
        task()
          .then(resolve, reject)
          .finally(() => {
            running--;
            next();
          }),
      );
      next();
    });
}

interface Work {
  high: KRecord[] | null;
  highCount: number | null;
  overdue: OverdueRecord[] | null;
  overdueCount: number | null;
  report: DeadlineReport | null;
  approvals: KRecord[] | null;
  approvalCount: number | null;
  recent: KRecord[] | null;
}

const EMPTY: Work = { high: null, highCount: null, overdue: null, overdueCount: null, report: null, approvals: null, approvalCount: null, recent: null };

export function Dashboard({ config, recordType, lang }: { config: Config; recordType: string; lang: string }) {
  const [work, setWork] = useState<Work>(EMPTY);
  const [drafts, setDrafts] = useState<Draft[]>([]);
  const [titles, setTitles] = useState<Record<string, string>>({});
  const [error, setError] = useState("");
  const risk = SUMMARY_PREFERENCES.risk;
  const hasRisk = !!fieldInfo(config, recordType, risk.field);
  const hasDeadlines = !!config.workflows?.[recordType]?.deadlines?.length;
  const closed = closedStatuses(config, recordType);
  const waiting = approvalStatuses(config, recordType);
  const approver = canDo(config, recordType, "approve");

  useEffect(() => {
    let cancelled = false;
    const set = (patch: Partial<Work>) => !cancelled && setWork((w) => ({ ...w, ...patch }));
    const failed = () => !cancelled && setError(t("network_error"));
    setError("");
    setWork(EMPTY);
    const run = limiter(2);
    if (hasRisk) {
      const base = { [risk.field]: risk.high };
      Promise.all([
        run(() => listRecords(recordType, { ...base, ordering: "-updated_at", page_size: LIST_SIZE * 2 })),
        ...closed.map((s) => run(() => listRecords(recordType, { ...base, status: s, page_size: 1 }))),
      ])
        .then(([all, ...shut]) => set({ highCount: openCount(all, shut), high: all.results.filter((r) => !closed.includes(r.status ?? "")).slice(0, LIST_SIZE) }))
        .catch(() => (set({ high: [], highCount: 0 }), failed()));
    }
    if (hasDeadlines) {
      run(() => myOverdue())
        .then((m) => set({ overdueCount: m.count, overdue: groupOverdue(m.items, recordType) }))
        .catch(() => (set({ overdue: [], overdueCount: 0 }), failed()));
      run(() => deadlineReport(recordType, "overdue"))
        .then((report) => set({ report }))
        .catch(() => undefined);
    }
    if (waiting.length) {
      Promise.all(waiting.map((s) => run(() => listRecords(recordType, { status: s, ordering: "-updated_at", page_size: LIST_SIZE }))))
        .then((pages) => set({ approvalCount: pages.reduce((n, p) => n + p.count, 0), approvals: pages.flatMap((p) => p.results).slice(0, LIST_SIZE) }))
        .catch(() => (set({ approvals: [], approvalCount: 0 }), failed()));
    }
    run(() => listRecords(recordType, { ordering: "-updated_at", page_size: LIST_SIZE }))
      .then((p) => set({ recent: p.results }))
      .catch(() => (set({ recent: [] }), failed()));
    listDrafts(recordType)
      .then((d) => !cancelled && setDrafts(d.filter((x) => x.dirty.length)))
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [recordType, lang]);

  // Overdue items carry ids only (no personal data): fetch the titles of the few shown.
  useEffect(() => {
    let cancelled = false;
    const known: Record<string, string> = {};
    for (const r of [...(work.high ?? []), ...(work.recent ?? []), ...(work.approvals ?? [])]) known[r.id] = recordTitle(config, r.record_type, r.data);
    const missing = (work.overdue ?? []).slice(0, LIST_SIZE).filter((o) => !(o.record_id in known));
    setTitles(known);
    const run = limiter(2);
    Promise.all(missing.map((o) => run(() => getRecord(o.record_type, o.record_id).then((r) => [o.record_id, recordTitle(config, r.record_type, r.data)] as const)).catch(() => null))).then(
      (pairs) => !cancelled && setTitles((tt) => ({ ...tt, ...Object.fromEntries(pairs.filter((p): p is readonly [string, string] => !!p)) })),
    );
    return () => {
      cancelled = true;
    };
  }, [work.overdue, work.high, work.recent, work.approvals]);

  const breakdown = overdueByDeadline(work.report);
  const recent = hasRisk ? (work.recent ?? []).filter((r) => r.data[risk.field] !== risk.high) : work.recent;
  const date = (iso: string) => formatValue(config, { key: "", type: iso.length > 10 ? "datetime" : "date", label: {} }, iso, lang);

  return (
    <main class="page">
      <div class="page-head">
        <h1>{t("my_work")}</h1>
        {canDo(config, recordType, "create") && (
          <a class="button-primary" href={href(`/records/${recordType}/new`)}>
            + {t("new_case")}
          </a>
        )}
      </div>
      {error && <p class="banner banner-warning">{error}</p>}
      <ul class="tiles" aria-label={t("at_a_glance")}>
        {hasDeadlines && <Tile id="overdue" count={work.overdueCount} text={t("tile_overdue")} tone="danger" />}
        {hasRisk && <Tile id="high-risk" count={work.highCount} text={t("tile_high_risk")} tone="danger" />}
        {waiting.length > 0 && <Tile id="approvals" count={work.approvalCount} text={approver ? t("tile_to_approve") : t("tile_awaiting_approval")} tone="warning" />}
        {drafts.length > 0 && <Tile id="drafts" count={drafts.length} text={t("tile_not_sent")} tone="warning" />}
      </ul>
      {drafts.length > 0 && (
        <section class="panel" id="drafts" aria-labelledby="drafts-title">
          <h2 id="drafts-title">{t("pending_changes", { count: drafts.length })}</h2>
          <ul class="record-list">
            {drafts.map((d) => (
              <li class="record-card card" key={d.key}>
                <a class="record-link" href={href(`/records/${d.recordType}/${d.recordId ?? d.key.split("/")[1]}/${d.formId}`)}>
                  <span class="record-title">{recordTitle(config, d.recordType, d.data) || t("untitled")}</span>
                  <span class="record-id">{d.shortId ?? ""}</span>
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}
      {hasDeadlines && (
        <section class="panel" id="overdue" aria-labelledby="overdue-title">
          <h2 id="overdue-title">{t("overdue_on_my_cases")}</h2>
          {work.overdue === null ? (
            <p class="muted">{t("loading")}</p>
          ) : work.overdue.length === 0 ? (
            <p class="muted">{t("nothing_overdue")}</p>
          ) : (
            <ul class="record-list">
              {work.overdue.slice(0, LIST_SIZE).map((o) => (
                <li class="record-card card overdue-card" key={o.record_id} data-record={o.record_id}>
                  <a class="record-link" href={href(`/records/${o.record_type}/${o.record_id}`)}>
                    <bdi class="record-title">{titles[o.record_id] || o.short_id}</bdi>
                    <bdi class="record-id">{o.short_id}</bdi>
                  </a>
                  <div class="chips">
                    {o.deadlines.map((d, i) => (
                      <span class="chip chip-danger" key={i}>
                        {d.label}
                        {d.due && ` · ${t("overdue_since", { days: daysOverdue(d.due), date: date(d.due) })}`}
                      </span>
                    ))}
                  </div>
                </li>
              ))}
            </ul>
          )}
          {breakdown.length > 0 && (
            <p class="muted overdue-breakdown" data-total={breakdown.reduce((n, d) => n + d.count, 0)}>
              {t("overdue_visible")}{" "}
              {breakdown.map((d, i) => (
                <span key={d.id} data-deadline={d.id}>
                  {i > 0 && " · "}
                  {d.label}: <strong>{d.count}</strong>
                </span>
              ))}
            </p>
          )}
        </section>
      )}
      {hasRisk && (
        <section class="panel" id="high-risk" aria-labelledby="high-risk-title">
          <h2 id="high-risk-title">{t("high_risk_open")}</h2>
          <RecordList records={work.high} config={config} lang={lang} />
        </section>
      )}
      {waiting.length > 0 && (
        <section class="panel" id="approvals" aria-labelledby="approvals-title">
          <h2 id="approvals-title">{approver ? t("tile_to_approve") : t("tile_awaiting_approval")}</h2>
          {work.approvals && work.approvals.length > 0 && (
            <p class="muted">{waiting.map((s) => statusLabel(config, recordType, s, lang)).join(" · ")}</p>
          )}
          <RecordList records={work.approvals} config={config} lang={lang} />
        </section>
      )}
      <section class="panel" aria-labelledby="recent">
        <h2 id="recent">{t("recently_updated")}</h2>
        <RecordList records={recent} config={config} lang={lang} />
      </section>
    </main>
  );
}

function Tile({ id, count, text, tone }: { id: string; count: number | null; text: string; tone: string }) {
  return (
    <li class={`tile${count ? ` tile-${tone}` : ""}`} data-tile={id}>
      <a href={`#${id}`} onClick={(e) => {
        // Hash routes: scroll to the section instead of changing the route.
        e.preventDefault();
        document.getElementById(id)?.scrollIntoView({ behavior: "smooth", block: "start" });
      }}>
        <span class="tile-count" data-count={count ?? ""}>{count ?? "…"}</span>
        <span class="tile-text">{text}</span>
      </a>
    </li>
  );
}

export function RecordList({ records, config, lang }: { records: KRecord[] | null; config: Config; lang: string }) {
  if (records === null) return <p class="muted">{t("loading")}</p>;
  if (!records.length) return <p class="muted">{t("nothing_here")}</p>;
  return (
    <ul class="record-list">
      {records.map((r) => (
        <RecordCard key={r.id} record={r} config={config} lang={lang} />
      ))}
    </ul>
  );
}
