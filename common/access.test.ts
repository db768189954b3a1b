import { describe, expect, it } from 'vitest';
import { ACTION_ROLES, ADMIN_ROUTES, AREAS, can, rolesFor, type Action } from './access';
import { ROLES } from './roles';

describe('the access table', () => {
  it('grants the actions whose answers carry customers’ contact fields only to roles that may read them', () => {
    // POST/PATCH /api/customers answer with the whole customer; the export holds it too.
    const carriesContact: Action[] = ['editCatalog', 'exportCustomer'];
    for (const action of carriesContact) {
      for (const role of ACTION_ROLES[action]) expect(can([role], 'readCustomerContact'), `${action}: ${role}`).toBe(true);
    }
  });

  it('shows an area only to roles that may make its first call', () => {
    for (const [area, { roles, loads }] of Object.entries(AREAS)) {
      const allowed = rolesFor(ADMIN_ROUTES[loads]) ?? ROLES;
      for (const role of roles) expect(allowed, `${area} as ${role}`).toContain(role);
    }
  });

  it('names only known roles', () => {
    for (const roles of [...Object.values(ACTION_ROLES), ...Object.values(AREAS).map((a) => a.roles)]) {
      for (const role of roles) expect(ROLES).toContain(role);
    }
  });

  it('answers `can` from the roles held', () => {
    expect(can(['analyst'], 'readCustomerContact')).toBe(false);
    expect(can(['analyst', 'dpo'], 'readCustomerContact')).toBe(true);
    expect(can([], 'manageUsers')).toBe(false);
    expect(rolesFor('signedIn')).toBeNull();
    expect(rolesFor('public')).toBeNull();
    expect(rolesFor('manageUsers')).toEqual(['admin']);
  });
});
