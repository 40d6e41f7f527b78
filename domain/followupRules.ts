import { addCalendarDays, FEEDBACK_WITHIN_DAYS, RETURN_VISIT_WITHIN_DAYS } from './deadlines';
import { isCompleted, isOpen, type CaseStatus } from './caseStatus';

// "凡办理事项全部争取一周反馈，两周回访": progress feedback is owed while a case is open and
// none was given; a return visit is owed once it is decided and none was made.

export function feedbackDueDate(intakeDate: string): string {
  return addCalendarDays(intakeDate, FEEDBACK_WITHIN_DAYS);
}

export function returnVisitDueDate(decisionDate: string): string {
  return addCalendarDays(decisionDate, RETURN_VISIT_WITHIN_DAYS);
}

export function owesFeedback(status: CaseStatus, hasFeedback: boolean): boolean {
  return isOpen(status) && !hasFeedback;
}

export function owesReturnVisit(status: CaseStatus, hasReturnVisit: boolean): boolean {
  return isCompleted(status) && !hasReturnVisit;
}
