import { flowMessages } from './flow.messages.ts'

/**
 * The first screen's texts. The mission's labels are the product's own words: keep them exact.
 * The other screens' texts are sections of their own (wizard.messages.ts, buffer.messages.ts),
 * added when those screens load.
 */
const base = {
  pl: {
    app: {
      title: 'Migracja klientów z innego sklepu',
      loading: 'Wczytywanie…',
      retry: 'Spróbuj ponownie',
      back: 'Wróć',
      close: 'Zamknij',
      cancel: 'Anuluj',
      unexpected: 'Coś poszło nie tak. Spróbuj ponownie za chwilę.',
      network: 'Brak połączenia z panelem. Sprawdź sieć i spróbuj ponownie.',
    },
  },
  en: {
    app: {
      title: 'Migrate customers from another shop',
      loading: 'Loading…',
      retry: 'Try again',
      back: 'Back',
      close: 'Close',
      cancel: 'Cancel',
      unexpected: 'Something went wrong. Try again in a moment.',
      network: 'No connection to the panel. Check the network and try again.',
    },
  },
} as const

export const appMessages = {
  pl: { ...base.pl, ...flowMessages.pl },
  en: { ...base.en, ...flowMessages.en },
}
