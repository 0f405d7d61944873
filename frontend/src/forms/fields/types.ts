import type { ComponentType } from "preact";
import type { Config, Field } from "../../api/types";
import type { Data, EngineResult, FieldIssue } from "../engine";

/** What every field widget receives. `path` is "key" or "subform[2].key" (the server's issue path). */
export interface FieldProps {
  field: Field;
  value: unknown;
  onChange: (value: unknown) => void;
  path: string;
  id: string;
  ctx: RenderContext;
  row: Data | null;
  describedBy?: string;
  invalid?: boolean;
}

export interface RenderContext {
  config: Config;
  lang: string;
  result: EngineResult;
  /** Computed values of the whole record (for choice filters and calculated display). */
  values: Data;
  /** Paths whose errors are shown (touched, or everything after a save attempt). */
  showErrors: (path: string) => boolean;
  touch: (path: string) => void;
  serverIssues: FieldIssue[];
  readOnly: boolean;
  /** Nested widgets (subform rows) render fields through this. */
  renderField: (field: import("../../api/types").Field, value: unknown, onChange: (v: unknown) => void, path: string, row: Data | null) => preact.JSX.Element | null;
}

export type FieldWidget = ComponentType<FieldProps>;
