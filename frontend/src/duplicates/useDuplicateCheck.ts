// Asks the server for likely duplicates of a record being registered: debounced while the identifying
// fields are typed, and at once before the first save. A failed check (offline, server error) never
// blocks the caseworker: the record is saved and the server's own scan finds pairs later.
import { useEffect, useRef, useState } from "preact/hooks";
import { checkDuplicates } from "../api/client";
import type { Config, DuplicateCandidate } from "../api/types";
import type { Data } from "../forms/engine";
import { candidateKey, checkData, dataKey, ranked, unacknowledged } from "./logic";

export const CHECK_DEBOUNCE_MS = 900;

export type CheckStatus = "idle" | "checking" | "done" | "unavailable";

export interface DuplicateCheck {
  /** The record type has duplicate rules and the record is new. */
  enabled: boolean;
  status: CheckStatus;
  candidates: DuplicateCandidate[];
  /** Candidates the user has not yet answered. */
  pending: DuplicateCandidate[];
  /** "Not a duplicate — continue": every candidate shown now is set aside. */
  acknowledge: () => void;
  /** Visible candidates the user said are someone else (recorded once the new record has an id). */
  declined: () => string[];
  /** Check the current data now (reuses the last answer for the same data); [] if not enough data. */
  checkNow: () => Promise<DuplicateCandidate[]>;
}

/** Answers per draft ("case/new:<uuid>"), kept while the app is open so that moving between the forms
 * of a new record does not ask again. */
interface Answers {
  acknowledged: Set<string>;
  declined: Set<string>;
}
const ANSWERS = new Map<string, Answers>();

export function answersFor(draftKey: string): Answers {
  let a = ANSWERS.get(draftKey);
  if (!a) ANSWERS.set(draftKey, (a = { acknowledged: new Set(), declined: new Set() }));
  return a;
}

export function useDuplicateCheck(config: Config, recordType: string, draftKey: string, values: Data | null, enabled: boolean): DuplicateCheck {
  const data = enabled && values ? checkData(config, recordType, values) : null;
  const key = dataKey(data);
  const [status, setStatus] = useState<CheckStatus>("idle");
  const [candidates, setCandidates] = useState<DuplicateCandidate[]>([]);
  const answers = answersFor(draftKey);
  const [, rerender] = useState(0);
  const last = useRef<{ key: string; result: Promise<DuplicateCandidate[]> } | null>(null);
  const latestData = useRef<Data | null>(data);
  latestData.current = data;

  const run = (k: string, body: Data): Promise<DuplicateCandidate[]> => {
    if (last.current?.key === k) return last.current.result;
    setStatus("checking");
    const result = checkDuplicates(recordType, body)
      .then((found) => {
        const list = ranked(found);
        if (last.current?.key === k) {
          setCandidates(list);
          setStatus("done");
        }
        return list;
      })
      .catch(() => {
        if (last.current?.key === k) {
          last.current = null; // try again next time
          setStatus("unavailable");
        }
        return [] as DuplicateCandidate[];
      });
    last.current = { key: k, result };
    return result;
  };

  useEffect(() => {
    if (!key || !data) return;
    const timer = window.setTimeout(() => void run(key, data), CHECK_DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [key]);

  return {
    enabled,
    status,
    candidates,
    pending: unacknowledged(candidates, answers.acknowledged),
    acknowledge: () => {
      for (const c of candidates) {
        if (!c.restricted) answers.declined.add(c.record_id);
        answers.acknowledged.add(candidateKey(c));
      }
      rerender((n) => n + 1);
    },
    declined: () => [...answers.declined],
    checkNow: async () => {
      const body = latestData.current;
      if (!body) return [];
      const list = await run(dataKey(body), body);
      return unacknowledged(list, answers.acknowledged);
    },
  };
}
