using Portal.Domain.Common;

namespace Portal.Domain.Organisations;

/// <summary>
/// A SIRET (14 digits: the SIREN then the establishment's rank) and its check key. The key is Luhn's: from the right,
/// every second digit is doubled (9 subtracted when the double passes 9) and the sum is a multiple of 10. La Poste's
/// establishments (SIREN 356 000 000) share one SIREN and are keyed instead on the plain sum of the digits being a
/// multiple of 5 (INSEE's published exception, accepted besides Luhn's).
/// </summary>
public static class Siret
{
    public const string LaPosteSiren = "356000000";

    /// <summary>The digits typed, spaces removed (a SIRET is often written 123 456 789 00012); null when blank.</summary>
    public static string? Normalise(string? input)
    {
        if (string.IsNullOrWhiteSpace(input)) return null;
        return string.Concat(input.Where(c => !char.IsWhiteSpace(c)));
    }

    /// <summary>Whether 14 digits whose key is right.</summary>
    public static bool IsValid(string? siret)
    {
        if (siret is null || siret.Length != 14 || !siret.All(char.IsAsciiDigit)) return false;
        if (siret.StartsWith(LaPosteSiren, StringComparison.Ordinal) && siret.Sum(c => c - '0') % 5 == 0) return true;
        var sum = 0;
        for (var i = 0; i < 14; i++)
        {
            var digit = siret[13 - i] - '0';
            if (i % 2 == 1)
            {
                digit *= 2;
                if (digit > 9) digit -= 9;
            }
            sum += digit;
        }
        return sum % 10 == 0;
    }

    /// <summary>The normalised SIRET, or a French refusal saying what is wrong (null when blank and not required).</summary>
    public static string? Check(string? input, bool required = false)
    {
        var siret = Normalise(input);
        if (siret is null)
            return required ? throw new DomainException("Le SIRET est obligatoire.") : null;
        if (siret.Length != 14 || !siret.All(char.IsAsciiDigit))
            throw new DomainException("Le SIRET doit comporter 14 chiffres.");
        if (!IsValid(siret))
            throw new DomainException($"Le SIRET {siret} n'est pas valide : sa clé de contrôle ne correspond pas. Vérifiez les chiffres saisis.");
        return siret;
    }
}
