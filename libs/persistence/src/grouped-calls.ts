/**
 * Group commit: the calls that arrive while a group is in progress are run
 * together as the next group, by one call of `runGroup` (one transaction, one
 * multi-row statement), instead of one each. Under load the groups grow;
 * when it is quiet a call runs alone, at once.
 *
 * `runGroup` returns one result per input, in order. When it throws, every
 * caller of that group gets the error: a caller that must not fail for
 * another's input then runs its own alone.
 */
export class GroupedCalls<In, Out> {
  private waiting: { input: In; resolve: (output: Out) => void; reject: (error: unknown) => void }[] = [];
  private inProgress = 0;
  private flushQueued = false;

  constructor(
    private readonly runGroup: (inputs: In[]) => Promise<Out[]>,
    private readonly limits: { groupSize: number; concurrent: number },
  ) {}

  run(input: In): Promise<Out> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      this.queueFlush();
    });
  }

  /** Waits a turn of the event loop, so that calls made together share the group. */
  private queueFlush(): void {
    if (this.flushQueued || this.inProgress >= this.limits.concurrent) return;
    this.flushQueued = true;
    setImmediate(() => {
      this.flushQueued = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.waiting.length === 0 || this.inProgress >= this.limits.concurrent) return;
    const group = this.waiting.splice(0, this.limits.groupSize);
    this.inProgress += 1;
    try {
      const outputs = await this.runGroup(group.map((call) => call.input));
      group.forEach((call, index) => call.resolve(outputs[index]));
    } catch (error) {
      for (const call of group) call.reject(error);
    } finally {
      this.inProgress -= 1;
      if (this.waiting.length > 0) this.queueFlush();
    }
  }
}
