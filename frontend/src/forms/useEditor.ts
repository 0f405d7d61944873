// Editing one record: the draft lives in IndexedDB as the user types (debounced), survives reloads
// and closed tabs, and goes to the server on section change and on save. A 409 opens the merge view.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { getRecord } from "../api/client";
import type { Config, KRecord } from "../api/types";
import { t } from "../i18n";
import { type Draft, deleteDraft, draftKey, getCachedRecord, getDraft, putDraft } from "../store/db";
import { topUp } from "../store/shortIds";
import { type SendOutcome, sendDraft, withReservedShortId } from "../store/sync";
import { actionable } from "./access";
import { type Data, type EngineResult, type FieldIssue, fieldInfo, initialData, locate } from "./engine";
import { engineFor } from "./incremental";

export const AUTOSAVE_MS = 400;

export type SaveStatus = "idle" | "dirty" | "saving" | "saved" | "local" | "invalid" | "conflict" | "error";

export interface Editor {
  loading: boolean;
  notFound: boolean;
  draft: Draft | null;
  result: EngineResult | null;
  status: SaveStatus;
  message: string;
  restoredAt: string | null;
  serverIssues: FieldIssue[];
  conflict: KRecord | null;
  record: KRecord | null;
  setValue: (key: string, value: unknown) => void;
  setSection: (sectionId: string) => void;
  /** force: send a new record despite client-side errors; keepLocal: only keep it on this device. */
  send: (opts?: { force?: boolean; keepLocal?: boolean }) => Promise<SendOutcome | null>;
  resolveConflict: (keepMine: string[]) => Promise<void>;
  discard: () => Promise<void>;
}

export function useEditor(config: Config, lang: string, recordType: string, id: string, formId: string, onCreated: (record: KRecord) => void): Editor {
  const key = draftKey(recordType, id);
  const isNew = id.startsWith("new:");
  const [draft, setDraft] = useState<Draft | null>(null);
  const [record, setRecord] = useState<KRecord | null>(null);
  const [loading, setLoading] = useState(true);
  const [notFound, setNotFound] = useState(false);
  const [status, setStatus] = useState<SaveStatus>("idle");
  const [message, setMessage] = useState("");
  const [restoredAt, setRestoredAt] = useState<string | null>(null);
  const [serverIssues, setServerIssues] = useState<FieldIssue[]>([]);
  const [conflict, setConflict] = useState<KRecord | null>(null);
  const timer = useRef<number | undefined>(undefined);
  const latest = useRef<Draft | null>(null);
  latest.current = draft;

  // Load: the local draft wins when it holds unsent changes; otherwise start from the server's copy.
  useEffect(() => {
    let cancelled = false;
    (async () => {
      setLoading(true);
      if (isNew) void topUp(recordType); // background: a new record will want a reserved short id
      const local = await getDraft(key).catch(() => undefined);
      let server: KRecord | null = null;
      if (!isNew) {
        try {
          server = await getRecord(recordType, id);
        } catch {
          server = (await getCachedRecord(id).catch(() => undefined)) ?? null;
        }
      }
      if (cancelled) return;
      if (!isNew && !server && !local) {
        setNotFound(true);
        setLoading(false);
        return;
      }
      setRecord(server);
      if (local && (local.dirty.length > 0 || isNew)) {
        setDraft({ ...local, formId });
        if (local.dirty.length) setRestoredAt(local.updatedAt);
      } else if (isNew) {
        const data = initialData(config, recordType, { lang });
        setDraft({ key, recordType, recordId: null, baseVersion: null, base: {}, data, dirty: Object.keys(data), formId, updatedAt: new Date().toISOString() });
      } else if (server) {
        setDraft({ key, recordType, recordId: server.id, shortId: server.short_id, baseVersion: server.version, base: server.data, data: { ...server.data }, dirty: [], formId, updatedAt: new Date().toISOString() });
      }
      setLoading(false);
    })();
    return () => {
      cancelled = true;
    };
  }, [key]);

  // Persist on leave (route change, tab close).
  useEffect(() => {
    const flush = () => {
      if (timer.current !== undefined && latest.current) {
        window.clearTimeout(timer.current);
        timer.current = undefined;
        void putDraft(latest.current);
      }
    };
    window.addEventListener("pagehide", flush);
    document.addEventListener("visibilitychange", flush);
    return () => {
      flush();
      window.removeEventListener("pagehide", flush);
      document.removeEventListener("visibilitychange", flush);
    };
  }, []);

  // One engine per configuration, record type and language, kept across form pages: each keystroke
  // re-evaluates only the expressions that read what changed (forms/incremental.ts), with runEngine's
  // result.
  const engine = useMemo(
    () =>
      engineFor(config, recordType, lang, () => ({
        lang,
        messages: { required: t("required_message"), invalid: t("invalid_value"), integer: t("whole_number"), number: t("a_number") },
      })),
    [config, recordType, lang],
  );
  const result = useMemo(() => (draft ? engine.run(draft.data) : null), [draft?.data, engine]);

  const schedule = (next: Draft) => {
    if (timer.current !== undefined) window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      timer.current = undefined;
      void putDraft(next).then(() => setStatus((s) => (s === "dirty" ? "local" : s)));
    }, AUTOSAVE_MS);
  };

  const setValue = (k: string, value: unknown) => {
    setDraft((d) => {
      if (!d) return d;
      const data = { ...d.data };
      if (value === null || value === undefined) delete data[k];
      else data[k] = value;
      const next = { ...d, data, dirty: d.dirty.includes(k) ? d.dirty : [...d.dirty, k] };
      schedule(next);
      return next;
    });
    const about = (i: FieldIssue) => i.path === k || i.path.startsWith(`${k}[`);
    setServerIssues((issues) => (issues.some(about) ? issues.filter((i) => !about(i)) : issues));
    setStatus("dirty");
  };

  const setSection = (sectionId: string) => {
    setDraft((d) => {
      if (!d) return d;
      const next = { ...d, sectionId };
      if (d.dirty.length) schedule(next);
      return next;
    });
  };

  const send = async (opts: { force?: boolean; keepLocal?: boolean } = {}): Promise<SendOutcome | null> => {
    const current = latest.current;
    if (!current || !result) return null;
    if (timer.current !== undefined) {
      window.clearTimeout(timer.current);
      timer.current = undefined;
    }
    await putDraft(current);
    // A new record goes to the server only once this form is complete; until then it is kept here.
    // (The server judges the whole record and may still refuse: its issues are then shown.)
    const formErrors = actionable(result.errors, (k) => fieldInfo(config, recordType, k)?.field).filter((e) => locate(config, recordType, e.path)?.form === formId);
    if (!current.recordId && ((formErrors.length && !opts.force) || opts.keepLocal)) {
      setStatus("local");
      setMessage(t("saved_locally"));
      return null;
    }
    if (current.recordId && !current.dirty.length) {
      setStatus("saved");
      return { kind: "nothing" };
    }
    setStatus("saving");
    setMessage("");
    // A new record takes its reserved short id now (kept with the draft: every retry sends the same one).
    const toSend = await withReservedShortId(current).catch(() => current);
    const shortIdFor = (id: string | undefined) => (d: Draft | null) => (d && !d.recordId && d.key === current.key ? { ...d, reservedShortId: id } : d);
    if (toSend.reservedShortId !== current.reservedShortId) setDraft(shortIdFor(toSend.reservedShortId));
    const outcome = await sendDraft(config, toSend);
    if (outcome.kind === "invalid" && outcome.shortIdRefused) setDraft(shortIdFor(undefined));
    switch (outcome.kind) {
      case "saved": {
        const rec = outcome.record;
        setRecord(rec);
        setServerIssues((rec.warnings ?? []).map((w) => ({ path: w.field, code: w.code, message: w.message, severity: "warning" as const })));
        const fresh: Draft = { key: draftKey(recordType, rec.id), recordType, recordId: rec.id, shortId: rec.short_id, baseVersion: rec.version, base: rec.data, data: { ...rec.data }, dirty: [], formId, sectionId: current.sectionId, updatedAt: new Date().toISOString() };
        // Keep anything typed while the request was in flight.
        const typed = latest.current;
        if (typed && typed !== current && typed.key === current.key) {
          for (const k of typed.dirty) if (typed.data[k] !== current.data[k]) {
            fresh.data[k] = typed.data[k];
            fresh.dirty.push(k);
          }
          if (fresh.dirty.length) await putDraft(fresh);
        }
        setDraft(fresh);
        setRestoredAt(null);
        setStatus("saved");
        setMessage(t("saved"));
        if (!current.recordId) onCreated(rec);
        break;
      }
      case "conflict":
        setConflict(outcome.server);
        setStatus("conflict");
        setMessage(t("conflict_title"));
        break;
      case "invalid":
        setServerIssues(outcome.issues);
        setStatus("invalid");
        setMessage(outcome.issues.length ? t("fix_errors", { count: outcome.issues.filter((i) => i.severity === "error").length }) : outcome.message || t("server_rejected"));
        break;
      case "offline":
        setStatus("local");
        setMessage(t("saved_locally_offline"));
        break;
      default:
        setStatus("saved");
    }
    return outcome;
  };

  const resolveConflict = async (keepMine: string[]) => {
    const current = latest.current;
    const server = conflict;
    if (!current || !server) return;
    const data: Data = { ...server.data };
    for (const k of keepMine) {
      if (current.data[k] === undefined) delete data[k];
      else data[k] = current.data[k];
    }
    const next: Draft = { ...current, baseVersion: server.version, base: server.data, data, dirty: keepMine };
    latest.current = next;
    setDraft(next);
    setConflict(null);
    setRecord(server);
    await putDraft(next);
    if (keepMine.length) await send({ force: true });
    else {
      setStatus("saved");
      setMessage(t("saved"));
    }
  };

  const discard = async () => {
    await deleteDraft(key);
    setRestoredAt(null);
    if (record) setDraft({ key, recordType, recordId: record.id, shortId: record.short_id, baseVersion: record.version, base: record.data, data: { ...record.data }, dirty: [], formId, updatedAt: new Date().toISOString() });
    else setDraft({ key, recordType, recordId: null, baseVersion: null, base: {}, data: initialData(config, recordType, { lang }), dirty: [], formId, updatedAt: new Date().toISOString() });
    setStatus("idle");
    setServerIssues([]);
  };

  return { loading, notFound, draft, result, status, message, restoredAt, serverIssues, conflict, record, setValue, setSection, send, resolveConflict, discard };
}
