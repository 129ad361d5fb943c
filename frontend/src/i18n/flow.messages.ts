/** Texts of the platform, connection, shops, import list and details screens. */
export const flowMessages = {
  pl: {},
  en: {},
}
