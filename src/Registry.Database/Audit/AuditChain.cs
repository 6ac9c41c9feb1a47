using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Registry.Database.Audit;

/// <summary>
/// The one definition of an audit row's hash: SHA-256 over a canonical encoding of the row's chain, content and the
/// previous row's hash. The writer computes it in chain order; <c>registry-admin audit verify</c> recomputes it. Changing
/// this encoding breaks every stored chain: a new encoding needs a new version tag, and verify must know both.
/// </summary>
/// <remarks>
/// The position is not hashed: the links fix the order, and a row moved to another position keeps a hash that matches
/// its content, so verify can tell a reordered row from a changed one. The chain id is hashed, so a row moved to
/// another chain does not match.
/// </remarks>
public static class AuditChain
{
    /// <summary>Bytes of a hash.</summary>
    public const int HashLength = 32;

    private static readonly byte[] VersionTag = "registry-audit-v1"u8.ToArray();

    /// <summary>The previous hash of a chain's first row, and the hash of its opening seal: 32 zero bytes.</summary>
    public static ReadOnlyMemory<byte> Genesis { get; } = new byte[HashLength];

    /// <summary>The hash of <paramref name="record"/> at its place in <paramref name="chainId"/>, after <paramref name="previousHash"/>.</summary>
    public static byte[] Hash(string chainId, AuditRecord record, ReadOnlySpan<byte> previousHash)
    {
        ArgumentNullException.ThrowIfNull(chainId);
        ArgumentNullException.ThrowIfNull(record);
        var encoding = new ArrayBufferWriter<byte>(512);
        encoding.Write(VersionTag);
        Text(encoding, chainId);
        Int64(encoding, (record.AccessedAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10);
        Text(encoding, record.ActorId);
        Text(encoding, record.ActorRole);
        Text(encoding, record.ActorProvince);
        Text(encoding, record.Client);
        Text(encoding, record.Purpose);
        Text(encoding, record.PurposeNote);
        Text(encoding, record.Endpoint);
        Texts(encoding, record.PersonNumbers);
        Texts(encoding, record.Fields);
        Text(encoding, record.Outcome);
        Int64(encoding, record.StatusCode);
        Text(encoding, record.Reason);
        encoding.Write(previousHash);
        return SHA256.HashData(encoding.WrittenSpan);
    }

    // Every text is its UTF-8 length (-1 for null) and bytes, so no two records share an encoding.
    private static void Text(ArrayBufferWriter<byte> encoding, string? text)
    {
        if (text is null)
        {
            Int64(encoding, -1);
            return;
        }

        var length = Encoding.UTF8.GetByteCount(text);
        Int64(encoding, length);
        Encoding.UTF8.GetBytes(text, encoding.GetSpan(length));
        encoding.Advance(length);
    }

    private static void Texts(ArrayBufferWriter<byte> encoding, IReadOnlyList<string> texts)
    {
        Int64(encoding, texts.Count);
        foreach (var text in texts)
        {
            Text(encoding, text);
        }
    }

    private static void Int64(ArrayBufferWriter<byte> encoding, long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(encoding.GetSpan(sizeof(long)), value);
        encoding.Advance(sizeof(long));
    }
}
