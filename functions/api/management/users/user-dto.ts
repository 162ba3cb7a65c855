import type { User, UserStatus } from '../../../core/user.js';

/** A user as the API shows it: its opaque id, e-mail, name (once accepted) and status. */
export interface UserDto {
  readonly userId: string;
  readonly email?: string;
  readonly name?: string;
  readonly status: UserStatus;
}

/** The DTO of `userId`, whose user item may be missing (a membership written by other means): then only the id. */
export function userDto(userId: string, user: User | undefined): UserDto {
  if (!user) return { userId, status: 'ACTIVE' };
  return {
    userId,
    email: user.email,
    ...(user.name === undefined ? {} : { name: user.name }),
    status: user.status,
  };
}
