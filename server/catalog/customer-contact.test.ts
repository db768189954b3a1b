/**
 * Least privilege on customers' contact data: GET /api/customers and /api/customers/ID carry the
 * contact fields only for roles with readCustomerContact (admin, manager, dpo); for the others their
 * values appear nowhere in the answer, are not even decrypted, and an e-mail search finds nothing.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ACTION_ROLES } from '../../common/access';
import { ROLES, type Role } from '../../common/roles';
import { CUSTOMER_CONTACT_FIELDS, type Customer } from '../../common/schemas/customer';
import { signInAs, type AdminClient } from '../test/admin-client';
import { startTestApp, type TestApp } from '../test/test-app';

const CONTACT_ROLES: readonly Role[] = ['admin', 'manager', 'dpo'];
const contactInput = {
  email: 'kontakt.qx7@reiseland.example',
  phone: '+49 30 555 0199 77',
  address: 'Qx7-Allee 12, 10115 Berlin',
  contactPerson: 'Qx7 Beispielperson',
  notes: 'Qx7 prefers calls after 10',
};

let app: TestApp;
let customer: Customer;
const clients = new Map<Role, AdminClient>();
beforeAll(async () => {
  app = await startTestApp();
  for (const role of ROLES) clients.set(role, await signInAs(app, role));
  const created = await clients.get('manager')!.post('/api/customers', { name: 'Reiseland GmbH', kind: 'advertiser', ...contactInput });
  expect(created.status).toBe(201);
  customer = created.body as Customer;
});
afterAll(() => app?.dispose());

/** The raw answer text (so a value anywhere in it, under any key, is found). */
async function raw(role: Role, path: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${app.adminUrl}${path}`, { headers: { cookie: clients.get(role)!.cookie! } });
  return { status: res.status, text: await res.text() };
}

const business = () => ({ id: customer.id, name: 'Reiseland GmbH', kind: 'advertiser', status: 'active', restrictedAt: null, createdAt: customer.createdAt, updatedAt: customer.updatedAt });

describe('customers’ contact fields', () => {
  it('match the table: admin, manager and dpo read contact data', () => {
    expect([...ACTION_ROLES.readCustomerContact].sort()).toEqual([...CONTACT_ROLES].sort());
  });

  it.each(ROLES)('reach %s only when the role may read them', async (role) => {
    const one = await raw(role, `/api/customers/${customer.id}`);
    const list = await raw(role, '/api/customers');
    expect(one.status).toBe(200);
    expect(list.status).toBe(200);
    const listed = (JSON.parse(list.text) as { items: unknown[] }).items;
    if (CONTACT_ROLES.includes(role)) {
      expect(JSON.parse(one.text)).toEqual(customer);
      expect(listed).toEqual([customer]);
      expect(customer).toMatchObject(contactInput);
    } else {
      expect(JSON.parse(one.text)).toEqual(business());
      expect(listed).toEqual([business()]);
      for (const text of [one.text, list.text]) {
        for (const field of CUSTOMER_CONTACT_FIELDS) expect(text).not.toContain(`"${field}"`);
        for (const value of Object.values(contactInput)) expect(text).not.toContain(value);
        expect(text.toLowerCase()).not.toContain('qx7');
      }
    }
  });

  it.each(ROLES)('are not even decrypted for %s unless the role may read them', async (role) => {
    const cipher = app.services.privacy.cipher;
    const decrypt = vi.spyOn(cipher, 'decrypt');
    try {
      await raw(role, `/api/customers/${customer.id}`);
      await raw(role, '/api/customers');
      // Only customers' fields count: the signed-in staff member's own e-mail is decrypted for every request.
      const customerDecrypts = decrypt.mock.calls.filter(([, ref]) => ref.table === 'customers');
      expect(customerDecrypts.length > 0).toBe(CONTACT_ROLES.includes(role));
    } finally {
      decrypt.mockRestore();
    }
  });

  it.each(ROLES)('can be searched by e-mail only by roles that may read them (%s)', async (role) => {
    const found = await raw(role, `/api/customers?q=${encodeURIComponent(contactInput.email)}`);
    expect(found.status).toBe(200);
    expect((JSON.parse(found.text) as { total: number }).total).toBe(CONTACT_ROLES.includes(role) ? 1 : 0);
  });
});
