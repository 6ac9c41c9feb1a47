namespace Registry.LoadTests.Planning;

/// <summary>How far the phase running now is: done of total, and a line saying what it does; written by the phase, read by the display.</summary>
internal sealed class PhaseProgress(string phase)
{
    private long done;
    private long total;

    public string Phase => phase;

    public long Done => Interlocked.Read(ref done);

    public long Total => Interlocked.Read(ref total);

    public string Status { get; set; } = "";

    public void SetTotal(long count) => Interlocked.Exchange(ref total, count);

    public void Advance(long count = 1) => Interlocked.Add(ref done, count);
}
