using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Registry.Grains;

/// <summary>
/// The identity columns of a grain's row in Orleans' ADO.NET storage, computed as the 10.4.2 provider computes them
/// (<c>ORLEANS-ADONET-CONTRACT.md</c>, "Mapping a grain id to columns"), for the national bulk load, which writes
/// citizens' and allocators' states itself. A test checks them against rows a silo wrote.
/// </summary>
/// <param name="IdHash">The provider's stable hash of the key bytes, reversed.</param>
/// <param name="N0">Always 0: no grain of ours has a Guid key.</param>
/// <param name="N1">The key as a number when it is at most 16 hex digits (every personal ID number and prefix), else 0.</param>
/// <param name="Extension">The whole key when it is no such number, else null.</param>
public readonly record struct StoredGrainKey(int IdHash, long N0, long N1, string? Extension)
{
    /// <summary>The columns of a grain with string key <paramref name="key"/>.</summary>
    public static StoredGrainKey For(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        // A key of at most 16 hex digits is taken for an integer key (hence the registry's fixed-width keys).
        if (key.Length <= 16 && long.TryParse(key, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var number))
        {
            var bytes = new byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(bytes, number);
            return new(Hash(Reversed(bytes)), 0, number, null);
        }

        return new(Hash(Reversed(Encoding.UTF8.GetBytes(key))), 0, 0, key);
    }

    /// <summary>The provider's hash of a state name (<c>graintypehash</c>), not reversed.</summary>
    public static int StateNameHash(string stateName) => Hash(Encoding.UTF8.GetBytes(stateName));

    private static byte[] Reversed(byte[] bytes)
    {
        Array.Reverse(bytes);
        return bytes;
    }

    // The provider's default hasher: Orleans' stable hash (XxHash32) of the bytes, cast to a signed int.
    private static int Hash(byte[] data) => unchecked((int)StableHash.ComputeHash(data));
}
