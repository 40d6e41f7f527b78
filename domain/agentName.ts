// Agent names on the duty roster. The sign-in screen shows one card per agent and the history,
// the receipts and the monthly ledger's 代办员签字 column name agents by name, so two agents may
// not share a name: the second one needs a distinguishing name such as 王秀兰（二组）.
//
// Deactivated agents' names count too: their name stays on every record and ledger they signed,
// and re-activating one must not bring back a second identical card.

/** The form two names are compared in: full-width and half-width forms, spaces and letter case do not make a name different. */
export function agentNameKey(name: string): string {
  return (typeof name === 'string' ? name : '').normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

/** The message shown when `name` is already on the roster. */
export function duplicateAgentNameMessage(name: string, inactive = false): string {
  const n = (typeof name === 'string' ? name : '').trim();
  const where = inactive ? '（已停用的代办员也算，他们的名字留在以往的记录和台账上）' : '';
  return `值班表上已经有一位“${n}”${where}。登录界面和台账靠姓名区分代办员，请加上区分，例如“${n}（二组）”`;
}

