/**
 * Texts of the first screen (the import list) and the flow's shared bits (progress, counts,
 * the shop picker, the upload dialog); the wizard's and details' texts are wizard.messages.ts.
 * Mission labels are the product's own words and stay exact. Plural keys carry the forms of
 * Intl.PluralRules (one/few/many/other) for both languages. No "@" or "|" in texts: vue-i18n
 * reads them as linked messages and plural separators.
 */
const pl = {
  flow: {
    progress: {
      label: 'Postęp pobierania klientów',
      ofTotal: '{fetched} / {total}',
      counting: 'Pobrano {fetched}, trwa ustalanie liczby klientów…',
    },
    counts: {
      label: 'Klienci w buforze',
      pending: 'Oczekujący: {n}',
      failed: 'Z błędami: {n}',
      imported: 'Zaimportowani: {n}',
      skipped: 'Pominięci: {n}',
    },
    source: {
      uploaded: 'Plik XML',
      unknownPlatform: 'Platforma nieznana',
    },
    statusChanged: '{source}: {status}',
    busy: 'Trwa…',
    confirm: 'Potwierdź',
    shopPicker: {
      all: 'Zaznacz wszystkie',
      selected: 'Zaznaczono {n} z {total}',
      required: 'Zaznacz co najmniej jeden sklep — zaimportowani klienci muszą zostać przypisani do sklepu.',
      none: 'Panel nie ma żadnego sklepu, do którego można przypisać klientów.',
      loading: 'Wczytywanie sklepów…',
      meta: '{language}, {currency}',
    },
    upload: {
      open: 'Wgraj własny plik XML',
      title: 'Wgraj plik XML',
      intro: 'Masz już plik w formacie migracji (np. pobrany wcześniej z tego modułu)? Wgraj go zamiast łączyć się ze sklepem. Plik zostanie sprawdzony dopiero przyciskiem „Sprawdź i zaimportuj”.',
      file: 'Plik XML',
      fileHelp: 'Plik w formacie migracji klientów, kodowanie UTF-8.',
      fileRequired: 'Wybierz plik XML do wgrania.',
      shops: 'Sklepy, do których trafią klienci',
      submit: 'Wgraj plik',
      submitting: 'Wgrywanie pliku…',
      done: 'Wgrano plik {name}. Sprawdź go przyciskiem „Sprawdź i zaimportuj”.',
    },
  },
  imports: {
    title: 'Migracja klientów z innego sklepu',
    intro: 'Przenieś bazę klientów z innej platformy sklepowej. Moduł pobiera klientów przez API sklepu źródłowego do pliku XML; po sprawdzeniu pliku klienci trafiają do bufora, z którego importujesz ich do bazy sklepu.',
    start: 'Nowa migracja',
    caption: 'Lista importów',
    loading: 'Wczytywanie listy importów…',
    refreshing: 'Odświeżanie…',
    refresh: 'Odśwież',
    empty: 'Nie masz jeszcze żadnej migracji. Wybierz „Nowa migracja”, aby połączyć się ze sklepem źródłowym i pobrać jego klientów.',
    more: 'Pokaż więcej',
    shown: 'Wyświetlono {shown} z {total}',
    col: {
      source: 'Źródło',
      shops: 'Sklepy',
      created: 'Utworzono',
      status: 'Status',
      actions: 'Akcje',
    },
    details: 'szczegóły i status generowania',
    deleteSource: 'usuń źródło',
    verify: 'Sprawdź i zaimportuj',
    resume: 'Wznów pobieranie',
    buffer: 'Klienci niezaimportowani',
    imported: 'Klienci zaimportowani',
    hint: {
      verifying: 'Sprawdzanie pliku i wczytywanie klientów do bufora…',
      awaiting_verification: 'Plik jest gotowy. Sprawdź go i zaimportuj klientów do bufora.',
      verification_failed: 'Plik został odrzucony. Przyczyny znajdziesz w szczegółach.',
      fetch_failed: 'Pobieranie przerwał błąd sklepu źródłowego. Możesz je wznowić od miejsca przerwania.',
    },
    deleteDialog: {
      title: 'Usunąć źródło?',
      body: 'Pobieranie klientów ze sklepu {source} zostanie zatrzymane na stałe. Panel zapomni dane dostępowe do sklepu źródłowego i usunie plik XML. Klienci już zaimportowani pozostaną w bazie sklepu.',
      bodyUpload: 'Wgrany plik {source} zostanie usunięty z panelu. Klienci już zaimportowani pozostaną w bazie sklepu.',
      warning: 'Tej operacji nie można cofnąć.',
      confirm: 'Usuń źródło',
    },
    created: 'Zlecono import z {source}. Trwa pobieranie klientów do pliku XML.',
    deleted: 'Usunięto źródło {source}.',
  },
}

type Messages = typeof pl

const en: Messages = {
  flow: {
    progress: {
      label: 'Customer fetch progress',
      ofTotal: '{fetched} / {total}',
      counting: '{fetched} fetched, counting the customers…',
    },
    counts: {
      label: 'Customers in the buffer',
      pending: 'Pending: {n}',
      failed: 'With errors: {n}',
      imported: 'Imported: {n}',
      skipped: 'Skipped: {n}',
    },
    source: {
      uploaded: 'XML file',
      unknownPlatform: 'Unknown platform',
    },
    statusChanged: '{source}: {status}',
    busy: 'Working…',
    confirm: 'Confirm',
    shopPicker: {
      all: 'Select all',
      selected: '{n} of {total} selected',
      required: 'Select at least one shop — imported customers must be linked to a shop.',
      none: 'The panel has no shop to link customers to.',
      loading: 'Loading shops…',
      meta: '{language}, {currency}',
    },
    upload: {
      open: 'Upload your own XML file',
      title: 'Upload an XML file',
      intro: 'Already have a file in the migration format (e.g. downloaded from this module before)? Upload it instead of connecting to a shop. The file is checked only by “Check and import”.',
      file: 'XML file',
      fileHelp: 'A file in the customer migration format, UTF-8 encoded.',
      fileRequired: 'Choose an XML file to upload.',
      shops: 'Shops the customers go to',
      submit: 'Upload the file',
      submitting: 'Uploading…',
      done: 'Uploaded {name}. Check it with “Check and import”.',
    },
  },
  imports: {
    title: 'Migrate customers from another shop',
    intro: 'Bring your customer base over from another shop platform. The module fetches the customers through the source shop’s API into an XML file; once the file is checked, the customers go to a buffer from which you import them into the shop’s base.',
    start: 'New migration',
    caption: 'Imports',
    loading: 'Loading the imports…',
    refreshing: 'Refreshing…',
    refresh: 'Refresh',
    empty: 'You have no migration yet. Choose “New migration” to connect to the source shop and fetch its customers.',
    more: 'Show more',
    shown: 'Showing {shown} of {total}',
    col: {
      source: 'Source',
      shops: 'Shops',
      created: 'Created',
      status: 'Status',
      actions: 'Actions',
    },
    details: 'details and generation status',
    deleteSource: 'delete source',
    verify: 'Check and import',
    resume: 'Resume fetching',
    buffer: 'Customers not imported',
    imported: 'Imported customers',
    hint: {
      verifying: 'Checking the file and loading the customers into the buffer…',
      awaiting_verification: 'The file is ready. Check it and import the customers into the buffer.',
      verification_failed: 'The file was rejected. See the details for the reasons.',
      fetch_failed: 'An error of the source shop stopped the fetch. You can resume it where it stopped.',
    },
    deleteDialog: {
      title: 'Delete the source?',
      body: 'Fetching customers from the shop {source} stops for good. The panel forgets the source shop’s credentials and removes the XML file. Customers already imported stay in the shop’s base.',
      bodyUpload: 'The uploaded file {source} is removed from the panel. Customers already imported stay in the shop’s base.',
      warning: 'This cannot be undone.',
      confirm: 'Delete source',
    },
    created: 'Import from {source} queued. Fetching the customers into the XML file.',
    deleted: 'Source {source} deleted.',
  },
}

export const flowMessages = { pl, en }
