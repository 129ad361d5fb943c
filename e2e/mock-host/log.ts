/** The host's log: one line per event on stderr (the module writes through it too). */
export type LogLevel = 'info' | 'warn' | 'error'
export type Log = (level: LogLevel, msg: string, data?: Record<string, unknown>) => void

export const log: Log = (level, msg, data) => {
  const line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${msg}${data ? ' ' + JSON.stringify(data) : ''}`
  if (level === 'info') console.log(line)
  else console.error(line)
}
