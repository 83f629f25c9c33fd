export { accountEmailTask, createAccountEmailTask } from './account-mail';
export { acceptInvite, inviteTeamMember, requestPasswordReset, resetPassword } from './accounts';
export { requestSignUp, verifySignUp } from './sign-up';
