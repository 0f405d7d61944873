// A stored value as people read it: option labels, location names, dates in the user's locale; masked
// values exactly as the server sent them.
import type { Config, Field } from "../api/types";
import { optionLabel } from "../pages/RecordCard";
import { isMaskedValue } from "./access";
import { locationName } from "./fields/location";
import { displayValue } from "./fields/misc";

export function formatValue(config: Config, field: Field, value: unknown, lang: string): string {
  if (value === null || value === undefined || value === "") return "—";
  // A masked value ("A***") is shown as the server sent it: never parsed as a date or an option.
  if (isMaskedValue(field, value)) return Array.isArray(value) ? value.map(String).join(", ") : String(value);
  switch (field.type) {
    case "select_one":
    case "yes_no":
      return optionLabel(config, field, value, lang);
    case "select_multiple":
      return Array.isArray(value) ? value.map((c) => optionLabel(config, field, c, lang)).join(", ") : String(value);
    case "location":
      return locationName(config.locations?.items, value, lang);
    case "date": {
      const d = new Date(`${String(value).slice(0, 10)}T00:00:00`);
      return Number.isNaN(d.getTime()) ? String(value) : d.toLocaleDateString(lang);
    }
    case "datetime": {
      const d = new Date(String(value));
      return Number.isNaN(d.getTime()) ? String(value) : d.toLocaleString(lang);
    }
    case "subform":
      return Array.isArray(value) ? String(value.length) : "—";
    default:
      return displayValue(value);
  }
}

