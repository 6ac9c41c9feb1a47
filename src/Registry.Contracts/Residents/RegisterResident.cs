namespace Registry.Contracts.Residents;

/// <summary>Register a person not yet in the registry and give them a personal ID number.</summary>
/// <param name="IdempotencyKey">Chosen by the caller; repeating the command with it has the effect of one.</param>
/// <param name="FullName">Full name in Vietnamese; normalised to NFC and trimmed by the registry.</param>
/// <param name="BirthDate">Date of birth, 1900-01-01 to today.</param>
/// <param name="Sex">Sex.</param>
/// <param name="BirthRegistrationProvince">Code of the province where the birth is registered (one of the 63 codes).</param>
[GenerateSerializer, Immutable, Alias("registry.RegisterResident")]
public sealed record RegisterResident(
    [property: Id(0)] string IdempotencyKey,
    [property: Id(1)] string FullName,
    [property: Id(2)] DateOnly BirthDate,
    [property: Id(3)] Sex Sex,
    [property: Id(4)] string BirthRegistrationProvince);

/// <summary>What became of a <see cref="RegisterResident"/> command.</summary>
[GenerateSerializer, Immutable, Alias("registry.RegistrationOutcome")]
public abstract record RegistrationOutcome;

/// <summary>The person is registered. <paramref name="Replayed"/> is true when an earlier request with the same key did it.</summary>
[GenerateSerializer, Immutable, Alias("registry.RegistrationOutcome.Registered")]
public sealed record Registered([property: Id(0)] ResidentRecord Resident, [property: Id(1)] bool Replayed) : RegistrationOutcome;

/// <summary>The command was refused and nothing changed.</summary>
[GenerateSerializer, Immutable, Alias("registry.RegistrationOutcome.Rejected")]
public sealed record Rejected([property: Id(0)] FieldError[] Errors) : RegistrationOutcome;

/// <summary>The idempotency key was already used for a different request; nothing changed.</summary>
[GenerateSerializer, Immutable, Alias("registry.RegistrationOutcome.IdempotencyKeyReused")]
public sealed record IdempotencyKeyReused([property: Id(0)] string IdempotencyKey) : RegistrationOutcome;

/// <summary>One reason a field was refused. <paramref name="Field"/> uses the API's camelCase names.</summary>
[GenerateSerializer, Immutable, Alias("registry.FieldError")]
public sealed record FieldError([property: Id(0)] string Field, [property: Id(1)] string Message);
