import { mount } from './expose/mount.ts'

mount(document.getElementById('app')!, { apiBase: '/api/customer-migration', locale: 'pl' })
