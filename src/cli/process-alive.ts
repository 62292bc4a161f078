/** Whether a process with that pid exists on this host: signal 0 checks without sending anything (EPERM: it exists, owned by another user). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
