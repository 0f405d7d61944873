// The one registry of field widgets: field type name -> widget. A type the server knows but the app
// does not falls back to a text input (so a new type never breaks a form).
import { DecimalInput, DateInput, DateTimeInput, IntegerInput, TextArea, TextInput } from "./inputs";
import { SelectMultiple, SelectOne, TickBox, YesNo } from "./choices";
import { LocationInput } from "./location";
import { Attachment, Calculated, Note } from "./misc";
import { Subform } from "./subform";
import type { FieldWidget } from "./types";

export const WIDGETS: Record<string, FieldWidget> = {
  text: TextInput,
  textarea: TextArea,
  integer: IntegerInput,
  decimal: DecimalInput,
  date: DateInput,
  datetime: DateTimeInput,
  yes_no: YesNo,
  select_one: SelectOne,
  select_multiple: SelectMultiple,
  tick_box: TickBox,
  location: LocationInput,
  calculated: Calculated,
  note: Note,
  section: Note,
  attachment: Attachment,
  subform: Subform,
};

export const widgetFor = (type: string): FieldWidget => WIDGETS[type] ?? TextInput;

/** Types whose widget is a group of controls (labelled by a legend rather than a <label for>). */
export const GROUPED = new Set(["yes_no", "select_one", "select_multiple", "location", "subform"]);
