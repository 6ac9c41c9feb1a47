using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Registry.Domain.Residents;

/// <summary>
/// The operation ids of a person's history entries that are no longer in their grain's state, as a Bloom filter: the
/// citizen grain keeps only a tail of recent entries, and a request repeated with an older key must still be answered as
/// the replay it is (invariant 3). "No" is certain, so a new key, nearly every key, costs no database read; "maybe" is
/// checked in the history table, so a false "maybe" costs one indexed read and never a wrong answer.
/// </summary>
/// <remarks>
/// Sized as the history grows (a scalable Bloom filter): segment n holds <c>16 · 2ⁿ</c> keys at 16 bits each, 11 bits set
/// per key, so each full segment answers a wrong "maybe" for about 1 new key in 2,000, and all of them together, at a
/// thousand keys, for under 1 in 200 (10 bits a key measured 3 % at 200 keys: the segments' errors add up). The filter
/// takes 2 bytes per key in the state against the few hundred bytes of the entry it stands for. A full segment is never
/// rebuilt: the next one is added beside it, so adding a key needs only the key.
/// </remarks>
public sealed record EarlierOperations
{
    private const int FirstCapacity = 16;
    private const int BitsPerKey = 16;
    private const int BitsPerLookup = 11;

    /// <summary>No key at all: a person whose whole history is in their state.</summary>
    public static EarlierOperations None { get; } = new();

    /// <summary>How many keys were added (one per entry: a key of an operation with several entries is added for each).</summary>
    public int Count { get; init; }

    /// <summary>The bits of each segment, the first one first; segment n is <c>32 · 2ⁿ</c> bytes.</summary>
    public IReadOnlyList<byte[]> Segments { get; init; } = [];

    /// <summary>This filter with <paramref name="operationId"/> added.</summary>
    public EarlierOperations With(string operationId)
    {
        ArgumentNullException.ThrowIfNull(operationId);
        var segment = SegmentOf(Count);
        var segments = Segments.ToList();
        if (segment == segments.Count)
        {
            segments.Add(new byte[(FirstCapacity << segment) * BitsPerKey / 8]);
        }

        var bits = (byte[])segments[segment].Clone();
        foreach (var bit in BitsOf(operationId, bits.Length * 8))
        {
            bits[bit / 8] |= (byte)(1 << (bit % 8));
        }

        segments[segment] = bits;
        return new EarlierOperations { Count = Count + 1, Segments = segments };
    }

    /// <summary>False when <paramref name="operationId"/> was certainly never added; true when it may have been.</summary>
    public bool MayHold(string operationId)
    {
        ArgumentNullException.ThrowIfNull(operationId);
        return Segments.Any(bits => BitsOf(operationId, bits.Length * 8).All(bit => (bits[bit / 8] & (1 << (bit % 8))) != 0));
    }

    // The segment the key added as number `index` goes into: segments 0..n-1 hold 16 · (2ⁿ - 1) keys together.
    private static int SegmentOf(int index)
    {
        var segment = 0;
        while (index >= FirstCapacity * ((1 << (segment + 1)) - 1))
        {
            segment++;
        }

        return segment;
    }

    // Double hashing over a cryptographic hash: stable across processes and releases (string.GetHashCode is not), and
    // callers' keys cannot be chosen to collide.
    private static int[] BitsOf(string operationId, int bitCount)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(operationId), hash);
        var first = BinaryPrimitives.ReadUInt64LittleEndian(hash);
        var step = BinaryPrimitives.ReadUInt64LittleEndian(hash[8..]) | 1;
        var bits = new int[BitsPerLookup];
        for (var i = 0; i < BitsPerLookup; i++)
        {
            bits[i] = (int)((first + (ulong)i * step) % (ulong)bitCount);
        }

        return bits;
    }
}
