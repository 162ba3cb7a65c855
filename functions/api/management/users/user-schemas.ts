import * as z from 'zod';
import { MAX_INVITE_TOKEN_LENGTH } from '../../../core/invite.js';
import { emailField, opaqueIdField } from '../entity-fields.js';

/**
 * Request bodies of the users and invites endpoints (DESIGN §6.2). The bounds keep every request
 * within one transaction: an accepted invite commits its user, memberships, group memberships, role
 * assignments and first token atomically.
 */

/** The most e-mails one `POST /ng/api/user/users` takes. */
export const MAX_EMAILS_PER_REQUEST = 40;

/** The most user groups an invite carries. */
export const MAX_INVITE_USER_GROUPS = 25;

/** The most role bindings an invite carries. */
export const MAX_INVITE_ROLE_BINDINGS = 25;

/** Longest user name accepted on accept. */
export const MAX_USER_NAME_LENGTH = 256;

const referenceField = z
  .string()
  .min(1, 'cannot be empty')
  .max(128)
  .refine((value) => !value.includes('#'), {
    message: "must not contain '#'",
  });

const MAX_USER_NAME_LENGTH_FOR_INVITE = 256;

/** One role binding of an invite (Harness `RoleBinding`; the display fields are accepted and ignored). */
export const roleBindingSchema = z.strictObject({
  roleIdentifier: referenceField,
  resourceGroupIdentifier: referenceField,
  roleName: z.string().max(256).nullish(),
  resourceGroupName: z.string().max(256).nullish(),
  managedRole: z.boolean().nullish(),
});

/** The body of `POST /ng/api/user/users`. */
export const addUsersBodySchema = z.strictObject({
  emails: z.array(emailField).min(1, 'must list at least one e-mail').max(MAX_EMAILS_PER_REQUEST),
  userGroups: z.array(referenceField).max(MAX_INVITE_USER_GROUPS).nullish(),
  roleBindings: z.array(roleBindingSchema).max(MAX_INVITE_ROLE_BINDINGS).nullish(),
});

/** The body of `PUT /ng/api/invites/{inviteId}` (resend): Harness's `Invite` as its clients hold it. */
export const inviteBodySchema = z.strictObject({
  id: z.string().max(256).nullish(),
  email: emailField,
  name: z.string().max(MAX_USER_NAME_LENGTH_FOR_INVITE).nullish(),
  inviteType: z.enum(['ADMIN_INITIATED_INVITE', 'SCIM_INITIATED_INVITE', 'USER_INITIATED_INVITE']).nullish(),
  approved: z.boolean().nullish(),
  accountIdentifier: z.string().max(128).nullish(),
  orgIdentifier: z.string().max(128).nullish(),
  projectIdentifier: z.string().max(128).nullish(),
  roleBindings: z.array(roleBindingSchema).max(MAX_INVITE_ROLE_BINDINGS).nullish(),
  userGroups: z.array(referenceField).max(MAX_INVITE_USER_GROUPS).nullish(),
});

/** A parsed `POST /ng/api/user/users` body. */
export type AddUsersBody = z.infer<typeof addUsersBodySchema>;

/** A user's display name: not blank, bounded, no control characters. */
export const userNameField = z
  .string()
  .max(MAX_USER_NAME_LENGTH, `cannot be longer than ${MAX_USER_NAME_LENGTH} characters`)
  .refine((value) => value.trim().length > 0, 'cannot be empty')
  .refine((value) => !/\p{Cc}/u.test(value), 'must not contain control characters');

/** The body of `POST /ng/api/invites/accept` (no authentication: the token is the credential). */
export const acceptInviteBodySchema = z.strictObject({
  token: z.string().min(1, 'cannot be empty').max(MAX_INVITE_TOKEN_LENGTH),
  name: userNameField,
});

/** The `{userId}` path parameter. */
export const userIdField = opaqueIdField;
