using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;

namespace Registry.Database.Writing;

/// <summary>
/// The registry's one way of writing many small independent changes to PostgreSQL (the read model's snapshots, the
/// province ledger's rows, the unfinished-work marks). Group commit: one background loop writes; items that arrive while it writes a batch
/// wait in a queue and go together into the next single statement, so under load one commit (one WAL flush) serves
/// many callers, and an idle writer writes a lone item at once, with no timer. Each caller's task completes with its
/// item's result once the batch's statement has committed, or faults with that statement's exception.
/// </summary>
/// <typeparam name="TItem">What a caller writes.</typeparam>
/// <typeparam name="TResult">What a caller learns about its item, in the batch's order.</typeparam>
public sealed class GroupCommit<TItem, TResult> : IAsyncDisposable
{
    private readonly Func<IReadOnlyList<TItem>, Task<TResult[]>> _write;
    private readonly Action<int, Exception> _onFailure;
    private readonly int _maxBatchSize;
    private readonly Channel<Pending> _queue;
    private readonly Task _writer;
    private long _items;
    private long _batches;
    private long _failedBatches;
    private int _largestBatch;

    /// <summary>Starts the writing loop.</summary>
    /// <param name="write">Writes a batch in one transaction and returns one result per item, in order.</param>
    /// <param name="maxBatchSize">Most items in one statement.</param>
    /// <param name="onFailure">Told of a failed batch (its size and exception), e.g. to log it; its callers get the exception.</param>
    public GroupCommit(Func<IReadOnlyList<TItem>, Task<TResult[]>> write, int maxBatchSize, Action<int, Exception> onFailure)
    {
        _write = write;
        _onFailure = onFailure;
        _maxBatchSize = maxBatchSize;
        // Callers past the capacity wait to enqueue: a PostgreSQL that stalls slows the grains down instead of
        // filling the silo's memory.
        _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(16 * maxBatchSize) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        // Task.Run: the writer may first be resolved inside a grain, and the loop must never run on an activation's scheduler.
        _writer = Task.Run(WriteBatchesAsync);
    }

    /// <summary>What the writer has done since it started, for diagnostics and load tests.</summary>
    public GroupCommitStatistics Statistics => new(
        Interlocked.Read(ref _items), Interlocked.Read(ref _batches), Interlocked.Read(ref _failedBatches), Volatile.Read(ref _largestBatch));

    /// <summary>Writes <paramref name="item"/> with whatever else is waiting, and returns its result once committed.</summary>
    /// <exception cref="ObjectDisposedException">The writer is stopping; the item was not written.</exception>
    public async Task<TResult> WriteAsync(TItem item, CancellationToken cancellationToken = default)
    {
        var pending = new Pending(item);
        try
        {
            await _queue.Writer.WriteAsync(pending, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(nameof(GroupCommit<TItem, TResult>), "The writer is stopping; the item was not written.");
        }

        return await pending.Committed.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Stops accepting items, writes those already accepted, and ends the loop.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }

    private async Task WriteBatchesAsync()
    {
        var batch = new List<Pending>(_maxBatchSize);
        // Ends once the queue is completed and empty: everything accepted before disposal is still written.
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < _maxBatchSize && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            await WriteBatchAsync(batch);
            batch.Clear();
        }
    }

    [SuppressMessage("Design", "CA1031", Justification = "Any failure belongs to the batch's callers; the loop must survive it to serve the next batch.")]
    private async Task WriteBatchAsync(List<Pending> batch)
    {
        try
        {
            var results = await _write([.. batch.Select(static pending => pending.Item)]);
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _items, batch.Count);
            if (batch.Count > _largestBatch)
            {
                Volatile.Write(ref _largestBatch, batch.Count);
            }

            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Committed.TrySetResult(results[i]);
            }
        }
        catch (Exception exception)
        {
            Interlocked.Increment(ref _failedBatches);
            _onFailure(batch.Count, exception);
            foreach (var pending in batch)
            {
                pending.Committed.TrySetException(exception);
            }
        }
    }

    private sealed class Pending(TItem item)
    {
        public TItem Item { get; } = item;

        // Completed by the loop: continuations must not run inline on it and hold up the next batch.
        public TaskCompletionSource<TResult> Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>Counters of a <see cref="GroupCommit{TItem, TResult}"/> since it started.</summary>
/// <param name="Items">Items acknowledged as committed.</param>
/// <param name="Batches">Batches committed, one statement each.</param>
/// <param name="FailedBatches">Batches whose statement failed; their callers got the exception.</param>
/// <param name="LargestBatch">Most items committed in one statement.</param>
public readonly record struct GroupCommitStatistics(long Items, long Batches, long FailedBatches, int LargestBatch);
