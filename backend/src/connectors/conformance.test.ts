/** One suite, every connector: the table connector × case is printed at the end. */
import { runConformanceTable } from './conformance.ts'
import { conformanceSubjects } from './conformance.subjects.ts'

runConformanceTable(conformanceSubjects())
