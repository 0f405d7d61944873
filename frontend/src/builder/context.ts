// One open draft: its structure, revision and the edit operations on it. Every edit goes to the server
// (POST drafts/<id>/ops/ with the revision we loaded); a refusal keeps the server's sentence verbatim.
import { createContext } from "preact";
import { useCallback, useContext, useEffect, useRef, useState } from "preact/hooks";
import { ApiError, NetworkError } from "../api/client";
import * as api from "./api";
import type { Op } from "./api";
import type { Draft, DraftStructure, FieldType, FunctionSpec, KeyInfo } from "./types";
import { bt } from "./i18n";

export interface Refusal {
  message: string;
  code: string;
  status: number;
  /** Where the user acted (so the refusal is shown there, once). */
  where?: string;
}

export function refusalOf(e: unknown): Refusal {
  if (e instanceof ApiError) return { message: e.message, code: e.code, status: e.status };
  if (e instanceof NetworkError) return { message: bt("network_error"), code: "network", status: 0 };
  return { message: String((e as Error)?.message ?? e), code: "error", status: 0 };
}

export interface DraftState {
  draft: Draft | null;
  structure: DraftStructure | null;
  loading: boolean;
  /** The last refusal of an operation (server's words), shown where the user acted. */
  refusal: Refusal | null;
  busy: boolean;
  /** Apply operations; resolves true when the server accepted them (the draft is then reloaded).
   * `where` names the place the user acted: its refusal is shown there (refusalAt). */
  run: (ops: Op[], where?: string) => Promise<boolean>;
  /** The last refusal if it happened at `where`. */
  refusalAt: (where: string) => Refusal | null;
  reload: () => Promise<void>;
  clearRefusal: () => void;
  fieldTypes: FieldType[];
  functions: FunctionSpec[];
  /** Field keys of a record type in the draft (autocomplete, condition builder). */
  keys: (recordType: string) => KeyInfo[];
  /** Bumped after every accepted change (previews and checks refresh on it). */
  generation: number;
}

export const DraftContext = createContext<DraftState | null>(null);
export const useDraft = (): DraftState => {
  const ctx = useContext(DraftContext);
  if (!ctx) throw new Error("useDraft outside a draft");
  return ctx;
};

/** Field types and functions are the server's lists (never kept in the browser); loaded once. */
let catalogues: Promise<[FieldType[], FunctionSpec[]]> | null = null;
function loadCatalogues() {
  catalogues ??= Promise.all([api.fieldTypes(), api.functions()]).catch((e) => {
    catalogues = null;
    throw e;
  });
  return catalogues;
}

export function useDraftState(id: number): DraftState & { loadError: Refusal | null } {
  const [draft, setDraft] = useState<Draft | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<Refusal | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [busy, setBusy] = useState(false);
  const [fieldTypes, setFieldTypes] = useState<FieldType[]>([]);
  const [functions, setFunctions] = useState<FunctionSpec[]>([]);
  const [keysByType, setKeysByType] = useState<Record<string, KeyInfo[]>>({});
  const [generation, setGeneration] = useState(0);
  const wanted = useRef(new Set<string>());
  // The revision we last saw: consecutive operations (add a form, then its first section) must not
  // send the revision captured before the first one was applied.
  const revision = useRef<number | null>(null);

  const reload = useCallback(async () => {
    try {
      const d = await api.getDraft(id);
      revision.current = d.revision;
      setDraft(d);
      setLoadError(null);
      // Keys change with the draft: refresh those in use.
      const entries = await Promise.all(
        [...wanted.current].map(async (rt) => [rt, (await api.draftKeys(id, rt).catch(() => ({ fields: [] as KeyInfo[] }))).fields] as const),
      );
      setKeysByType(Object.fromEntries(entries));
    } catch (e) {
      setLoadError(refusalOf(e));
    } finally {
      setLoading(false);
    }
  }, [id]);

  useEffect(() => {
    setLoading(true);
    void reload();
    loadCatalogues()
      .then(([types, fns]) => {
        setFieldTypes(types);
        setFunctions(fns);
      })
      .catch((e) => setLoadError(refusalOf(e)));
  }, [id]);

  const run = useCallback(
    async (ops: Op[], where = "main") => {
      if (revision.current === null) return false;
      setBusy(true);
      setRefusal(null);
      try {
        // Each call is all-or-nothing on the server; one call per user action.
        const result = await api.applyOps(id, ops, revision.current);
        revision.current = result.revision;
        await reload();
        setGeneration((g) => g + 1);
        return true;
      } catch (e) {
        const r = refusalOf(e);
        setRefusal({ ...r, where });
        return false;
      } finally {
        setBusy(false);
      }
    },
    [id, reload],
  );

  const keys = useCallback(
    (rt: string) => {
      if (!wanted.current.has(rt)) {
        wanted.current.add(rt);
        void api
          .draftKeys(id, rt)
          .then((r) => setKeysByType((k) => ({ ...k, [rt]: r.fields })))
          .catch(() => undefined);
      }
      return keysByType[rt] ?? [];
    },
    [id, keysByType],
  );

  const structure: DraftStructure | null =
    draft && draft.forms
      ? {
          pack: draft.pack!,
          languages: draft.languages ?? ["en"],
          default_language: draft.default_language ?? "en",
          record_types: draft.record_types ?? [],
          forms: draft.forms,
          lookups: draft.lookups ?? [],
          roles: draft.roles ?? [],
        }
      : null;

  return {
    draft,
    structure,
    loading,
    loadError,
    refusal,
    refusalAt: (where: string) => (refusal && (refusal.where ?? "main") === where ? refusal : null),
    busy,
    run,
    reload,
    clearRefusal: () => setRefusal(null),
    fieldTypes,
    functions,
    keys,
    generation,
  };
}
