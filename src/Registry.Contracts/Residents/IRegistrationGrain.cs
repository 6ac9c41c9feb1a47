namespace Registry.Contracts.Residents;

/// <summary>
/// One registration request, keyed by its idempotency key. It remembers the request and the number it
/// allocated, so that a retried request (after a timeout, a crash or a lost answer) registers one person.
/// </summary>
public interface IRegistrationGrain : IGrainWithStringKey
{
    /// <summary>Registers the person, or returns what the first request with this key did.</summary>
    Task<RegistrationOutcome> RegisterAsync(RegisterResident command);
}
