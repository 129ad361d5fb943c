/**
 * The connection check's reasons in each platform's own terms (its menus, its key names);
 * a code a platform does not word its own way keeps the common message of errors.ts.
 */
import type { Localized } from './i18n.ts'
import { CONNECTION_ERROR_MESSAGES, type ConnectionErrorCode } from './errors.ts'
import type { PlatformId } from './platforms.ts'

export const PLATFORM_CONNECTION_ERROR_MESSAGES: Partial<Record<PlatformId, Partial<Record<ConnectionErrorCode, Localized>>>> = {
  woocommerce: {
    SOURCE_AUTH_FAILED: {
      pl: 'WooCommerce nie przyjął klucza API. Sprawdź klucz klienta (ck_…) i sekret klienta (cs_…) w WooCommerce > Ustawienia > Zaawansowane > REST API; klucz musi należeć do administratora sklepu.',
      en: 'WooCommerce refused the API key. Check the consumer key (ck_…) and consumer secret (cs_…) in WooCommerce > Settings > Advanced > REST API; the key must belong to a shop administrator.',
    },
    SOURCE_API_ACCESS_DENIED: {
      pl: 'Klucz API WooCommerce nie ma uprawnienia do odczytu. Utwórz klucz z uprawnieniem „Odczyt” w WooCommerce > Ustawienia > Zaawansowane > REST API.',
      en: 'The WooCommerce API key has no read permission. Create a key with the “Read” permission in WooCommerce > Settings > Advanced > REST API.',
    },
    SOURCE_NOT_A_SHOP: {
      pl: 'Pod tym adresem nie działa REST API WooCommerce (/wp-json/wc/v3). Sprawdź domenę sklepu i czy wtyczka WooCommerce jest włączona.',
      en: 'No WooCommerce REST API (/wp-json/wc/v3) answers at that address. Check the shop domain and that the WooCommerce plugin is active.',
    },
  },
  prestashop: {
    SOURCE_AUTH_FAILED: {
      pl: 'PrestaShop nie przyjął klucza API. Sprawdź klucz (32 znaki) w Parametry zaawansowane > Webservice i czy ma stan „Włączony”.',
      en: 'PrestaShop refused the API key. Check the key (32 characters) in Advanced Parameters > Webservice and that its status is “Enabled”.',
    },
    SOURCE_API_ACCESS_DENIED: {
      pl: 'Klucz API nie ma uprawnień do zasobu customers. W Parametry zaawansowane > Webservice zaznacz dla tego klucza GET (Wyświetl) przy customers, addresses, countries, languages i groups.',
      en: 'The API key has no permission for the customers resource. In Advanced Parameters > Webservice tick GET (View) for customers, addresses, countries, languages and groups on this key.',
    },
    SOURCE_API_DISABLED: {
      pl: 'Webservice jest wyłączony w tym sklepie PrestaShop. Włącz go w Parametry zaawansowane > Webservice („Włącz webservice PrestaShop”: Tak).',
      en: 'The Webservice is switched off in this PrestaShop shop. Switch it on in Advanced Parameters > Webservice (“Enable PrestaShop’s webservice”: Yes).',
    },
    SOURCE_NOT_A_SHOP: {
      pl: 'Pod tym adresem nie działa Webservice PrestaShop (/api). Sprawdź domenę sklepu i wybraną platformę.',
      en: 'No PrestaShop Webservice (/api) answers at that address. Check the shop domain and the chosen platform.',
    },
  },
  shopify: {
    SOURCE_AUTH_FAILED: {
      pl: 'Shopify nie przyjął danych aplikacji. Sprawdź Client ID i Client secret (albo token shpat_) oraz czy aplikacja jest zainstalowana w tym sklepie.',
      en: 'Shopify refused the app’s credentials. Check the client ID and client secret (or the shpat_ token) and that the app is installed on this shop.',
    },
    SOURCE_API_ACCESS_DENIED: {
      pl: 'Aplikacja nie ma zakresu read_customers albo dostępu do chronionych danych klientów. W Dev Dashboard dodaj zakres read_customers i dostęp do danych klientów (imię, e-mail, adres, telefon), wydaj nową wersję aplikacji i zainstaluj ją ponownie.',
      en: 'The app lacks the read_customers scope or access to protected customer data. In the Dev Dashboard add the read_customers scope and customer data access (name, e-mail, address, phone), release a new app version and install it again.',
    },
    SOURCE_NOT_A_SHOP: {
      pl: 'Pod tym adresem nie działa Admin API Shopify. Podaj adres sklepu w domenie myshopify.com (Ustawienia > Domeny), nie własną domenę.',
      en: 'No Shopify Admin API answers at that address. Give the shop’s myshopify.com address (Settings > Domains), not its custom domain.',
    },
  },
  magento2: {
    SOURCE_AUTH_FAILED: {
      pl: 'Magento nie przyjął podpisu integracji. Sprawdź cztery wartości integracji (Consumer Key, Consumer Secret, Access Token, Access Token Secret) i czy integracja jest aktywna.',
      en: 'Magento refused the integration’s signature. Check the integration’s four values (Consumer Key, Consumer Secret, Access Token, Access Token Secret) and that the integration is active.',
    },
    SOURCE_API_ACCESS_DENIED: {
      pl: 'Integracja nie ma dostępu do zasobu Magento_Customer::customer. W System > Rozszerzenia > Integracje > Edytuj > API zaznacz Klienci i Sklepy, zapisz i aktywuj integrację ponownie.',
      en: 'The integration has no access to the Magento_Customer::customer resource. In System > Extensions > Integrations > Edit > API tick Customers and Stores, save and activate the integration again.',
    },
    SOURCE_NOT_A_SHOP: {
      pl: 'Pod tym adresem nie działa REST API Magento 2 (/rest/V1). Sprawdź domenę sklepu.',
      en: 'No Magento 2 REST API (/rest/V1) answers at that address. Check the shop domain.',
    },
  },
}

/** The reason to show for `code` on `platform`'s connection. */
export function connectionErrorText(platform: PlatformId, code: ConnectionErrorCode): Localized {
  return PLATFORM_CONNECTION_ERROR_MESSAGES[platform]?.[code] ?? CONNECTION_ERROR_MESSAGES[code]
}
