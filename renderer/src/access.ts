/**
 * The console's view of the one role/access table in common/access.ts (which the server enforces):
 * which roles see which area and may use which action. The server still checks every call.
 */
export { ACTION_ROLES, AREA_ROLES, type Action, type Area } from '../../common/access';
