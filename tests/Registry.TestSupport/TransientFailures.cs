using System.Data.Common;
using Orleans.Serialization;
using Registry.Contracts;

namespace Registry.TestSupport;

/// <summary>
/// The failures a caller sees while a silo dies or PostgreSQL restarts, and repeats its request after with the same
/// idempotency key. Fault tests tolerate exactly these; anything else is a defect and fails the test.
/// </summary>
public static class TransientFailures
{
    /// <summary>
    /// True for a call without an answer (<see cref="TimeoutException"/>), a silo or gateway that went away or refused
    /// the message (<see cref="OrleansException"/>: <see cref="SiloUnavailableException"/>,
    /// <see cref="OrleansMessageRejectionException"/>, <c>ConnectionFailedException</c>), and PostgreSQL refusing or
    /// dropping a connection (<see cref="DbException"/> where the caller reads the database itself; from a grain call,
    /// <see cref="RegistryDatabaseUnavailableException"/>, into which the silo translates it; still
    /// <see cref="CodecNotFoundException"/> where it escapes outside a grain call, as it may while a grain activates, because
    /// Orleans cannot serialise Npgsql's exceptions).
    /// </summary>
    public static bool Include(Exception exception) =>
        exception is TimeoutException or OrleansException or DbException or RegistryDatabaseUnavailableException or CodecNotFoundException;
}
