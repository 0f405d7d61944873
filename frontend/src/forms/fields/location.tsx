// Location: cascading selects over config.locations (country → province → district ...). The value
// is the code of the deepest level chosen; `params.levels` limits which levels may be the answer.
import type { LocationItem } from "../../api/types";
import { label, t } from "../../i18n";
import type { FieldProps } from "./types";

interface Tree {
  byCode: Map<string, LocationItem>;
  children: Map<string, LocationItem[]>; // "" = roots
}

const trees = new WeakMap<object, Tree>();

export function locationTree(items: LocationItem[]): Tree {
  let tree = trees.get(items);
  if (!tree) {
    tree = { byCode: new Map(), children: new Map() };
    for (const item of items) {
      tree.byCode.set(item.code, item);
      const parent = item.parent ?? "";
      if (!tree.children.has(parent)) tree.children.set(parent, []);
      tree.children.get(parent)!.push(item);
    }
    trees.set(items, tree);
  }
  return tree;
}

export function locationPath(tree: Tree, code: unknown): string[] {
  const out: string[] = [];
  let c = typeof code === "string" ? code : "";
  for (let guard = 0; c && guard < 20; guard++) {
    const item = tree.byCode.get(c);
    if (!item) break;
    out.unshift(item.code);
    c = item.parent ?? "";
  }
  return out;
}

export function locationName(items: LocationItem[] | undefined, code: unknown, lang: string): string {
  if (!items || typeof code !== "string") return typeof code === "string" ? code : "";
  const tree = locationTree(items);
  return locationPath(tree, code)
    .map((c) => label(tree.byCode.get(c)?.name, lang))
    .slice(1) // the country is implied
    .join(", ") || label(tree.byCode.get(code)?.name, lang) || code;
}

export function LocationInput({ field, value, onChange, id, ctx, path, describedBy, invalid }: FieldProps) {
  const locations = ctx.config.locations;
  const items = locations?.items ?? [];
  const tree = locationTree(items);
  const levels = locations?.levels ?? [];
  const allowed: number[] | undefined = field.params?.levels;
  const chain = locationPath(tree, value);
  const disabled = ctx.readOnly || !!field.read_only;
  // A single root (the country) is chosen implicitly.
  const roots = tree.children.get("") ?? [];
  const implicitRoot = roots.length === 1 ? roots[0].code : null;
  const selects: { parent: string; chosen: string; level: number }[] = [];
  let parent = implicitRoot ?? "";
  let depth = implicitRoot ? 1 : 0;
  for (;;) {
    const options = tree.children.get(parent) ?? [];
    if (!options.length) break;
    const chosen = chain[depth] ?? "";
    selects.push({ parent, chosen, level: options[0].level });
    if (!chosen) break;
    parent = chosen;
    depth += 1;
  }
  const levelLabel = (level: number) => label(levels.find((l) => l.level === level)?.label, ctx.lang);
  const pick = (parentCode: string, code: string) => {
    if (code) return onChange(code);
    // Clearing a level goes back to its parent (or empty at the top).
    onChange(parentCode && parentCode !== implicitRoot ? parentCode : null);
  };
  return (
    <div class="location" aria-describedby={describedBy}>
      {selects.map((s, i) => (
        <label class="location-level" key={s.parent}>
          <span class="sub-label">{levelLabel(s.level)}</span>
          <select
            id={i === 0 ? id : `${id}-${i}`}
            class="input"
            value={s.chosen}
            disabled={disabled}
            aria-invalid={invalid || undefined}
            onChange={(e) => pick(s.parent, (e.currentTarget as HTMLSelectElement).value)}
            onBlur={() => ctx.touch(path)}
          >
            <option value="">{t("choose")}</option>
            {(tree.children.get(s.parent) ?? []).map((item) => (
              <option key={item.code} value={item.code} disabled={allowed ? !allowed.includes(item.level) && !tree.children.has(item.code) : false}>
                {label(item.name, ctx.lang) || item.code}
              </option>
            ))}
          </select>
        </label>
      ))}
    </div>
  );
}
