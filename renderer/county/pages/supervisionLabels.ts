import type { Supervision } from '../api';

export const SUPERVISION_STATES: Record<Supervision['state'], string> = { open: '待答复', answered: '已答复', closed: '已办结' };
