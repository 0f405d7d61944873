// UI text (translatable from the start) and configuration labels in the user's language with fallback.
import { signal } from "../lib/signal";
import type { I18nText } from "../api/types";
import { ar } from "./ar";
import { en } from "./en";
import { fr } from "./fr";

export type UiKey = keyof typeof en;
const CATALOGS: Record<string, Partial<Record<UiKey, string>>> = { en, fr, ar };

const STORAGE_KEY = "kinga.lang";
export const RTL_DEFAULT = ["ar", "fa", "ur", "he", "ps", "ckb"];

function initialLanguage(): string {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved) return saved;
  } catch {
    /* private mode */
  }
  const nav = (typeof navigator !== "undefined" && navigator.language) || "en";
  return nav.split("-")[0];
}

/** The language the user reads; the config's default language is the fallback for labels. */
export const language = signal(initialLanguage());
export const fallbackLanguage = signal("en");

export function setLanguage(lang: string): void {
  language.value = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* ignore */
  }
}

/** A UI string, with {name} placeholders. */
export function t(key: UiKey, params?: Record<string, string | number>): string {
  const text = CATALOGS[language.value]?.[key] ?? en[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (_m, name) => (name in params ? String(params[name]) : `{${name}}`));
}

/** A configuration text ({lang: text}) in the user's language, else the default language, else any. */
export function label(text: I18nText | string | null | undefined, lang = language.value): string {
  if (!text) return "";
  if (typeof text === "string") return text;
  return text[lang] ?? text[fallbackLanguage.value] ?? text.en ?? Object.values(text)[0] ?? "";
}

export const LANGUAGE_NAMES: Record<string, string> = {
  en: "English",
  fr: "Français",
  ar: "العربية",
  es: "Español",
  pt: "Português",
  sw: "Kiswahili",
};
