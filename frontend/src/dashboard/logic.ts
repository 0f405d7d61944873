// "My work": what needs the caseworker today, derived from the configuration's workflows and the
// workflow API — nothing about statuses or deadlines is written into the app.
import type { Config, DeadlineReport, DeadlineState, Page, Workflow } from "../api/types";
import { label } from "../i18n";

export function workflowOf(config: Config, recordType: string): Workflow {
  return config.workflows?.[recordType] ?? {};
}

/** Statuses a record stays in once closed (`closed: true`). */
export function closedStatuses(config: Config, recordType: string): string[] {
  return (workflowOf(config, recordType).statuses ?? []).filter((s) => s.closed).map((s) => s.id);
}

/** Statuses waiting on an approval: the `from` of every transition that `requires_approval`. */
export function approvalStatuses(config: Config, recordType: string): string[] {
  const out: string[] = [];
  for (const tr of workflowOf(config, recordType).transitions ?? []) {
    if (!tr.requires_approval) continue;
    for (const s of tr.from ?? []) if (!out.includes(s)) out.push(s);
  }
  return out;
}

export function statusLabel(config: Config, recordType: string, status: string | undefined, lang: string): string {
  if (!status) return "";
  const s = (workflowOf(config, recordType).statuses ?? []).find((x) => x.id === status);
  return label(s?.label, lang) || status;
}

/** Open high-risk records: all high-risk ones minus those in a closed status (the list API filters
 * by equality only, so the count is total - closed, each from the server's `count`). */
export function openCount(all: Page<unknown>, closed: Page<unknown>[]): number {
  return Math.max(0, all.count - closed.reduce((n, p) => n + p.count, 0));
}

/** Overdue deadlines over everything the user may see, per deadline (only those with any). */
export function overdueByDeadline(report: DeadlineReport | null): { id: string; label: string; count: number }[] {
  return (report?.deadlines ?? []).map((d) => ({ id: d.id, label: d.label, count: d.counts.overdue ?? 0 })).filter((d) => d.count > 0);
}

export function overdueTotal(report: DeadlineReport | null): number {
  return overdueByDeadline(report).reduce((n, d) => n + d.count, 0);
}

export interface OverdueRecord {
  record_id: string;
  short_id: string;
  record_type: string;
  deadlines: { label: string; due: string | null }[];
  /** The oldest due date/time among its overdue deadlines (ISO). */
  oldest: string | null;
}

/** my-overdue items (one per record and deadline, oldest due first) grouped by record, keeping order. */
export function groupOverdue(items: DeadlineState[], fallbackType: string): OverdueRecord[] {
  const out: OverdueRecord[] = [];
  const byId = new Map<string, OverdueRecord>();
  for (const item of items) {
    const id = item.record_id ?? "";
    let rec = byId.get(id);
    if (!rec) {
      rec = { record_id: id, short_id: item.short_id ?? "", record_type: item.record_type ?? fallbackType, deadlines: [], oldest: item.due_date ?? item.due_at };
      byId.set(id, rec);
      out.push(rec);
    }
    rec.deadlines.push({ label: item.label ?? item.deadline, due: item.due_date ?? item.due_at });
  }
  return out;
}

/** Whole days from a due date (YYYY-MM-DD or ISO datetime) to today, in the user's calendar. */
export function daysOverdue(due: string | null, today: Date = new Date()): number {
  if (!due) return 0;
  const d = new Date(due.length === 10 ? `${due}T00:00:00` : due);
  const start = new Date(today.getFullYear(), today.getMonth(), today.getDate());
  const dueDay = new Date(d.getFullYear(), d.getMonth(), d.getDate());
  return Math.max(0, Math.round((start.getTime() - dueDay.getTime()) / 86_400_000));
}
