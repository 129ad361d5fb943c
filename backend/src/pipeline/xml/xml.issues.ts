/** Verification issues as they are collected, and the signal that ends parsing early. */
import type { VerificationIssue, XmlIssueCode } from '@cm/contracts'

/** 1-based line and column (columns count Unicode characters, as editors do). */
export type XmlPosition = { line: number; column: number }

/** Thrown out of saxes handlers to stop reading; saxes would otherwise carry on after an error. */
export class StopParsing extends Error {}

export class IssueList {
  readonly list: VerificationIssue[] = []
  /** true once any issue was found, even one past the list's limit */
  failed = false

  constructor(private readonly max: number) {}

  /** Records an issue; reading stops once the list is full. */
  add(code: XmlIssueCode, at: XmlPosition, message: string): void {
    this.failed = true
    if (this.list.length < this.max) this.list.push({ line: at.line, column: at.column, code, message })
    if (this.list.length >= this.max) throw new StopParsing(message)
  }

  /** Records an issue after which nothing more can be read meaningfully. */
  fatal(code: XmlIssueCode, at: XmlPosition, message: string): never {
    this.failed = true
    if (this.list.length < this.max) this.list.push({ line: at.line, column: at.column, code, message })
    throw new StopParsing(message)
  }
}
