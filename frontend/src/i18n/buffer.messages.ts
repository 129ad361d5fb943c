/** Texts of Klienci niezaimportowani, the import dialog, Klienci zaimportowani and the template page. */
export const bufferMessages = {
  pl: {},
  en: {},
}
