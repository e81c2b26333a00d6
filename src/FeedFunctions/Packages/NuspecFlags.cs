using NuGet.Packaging;

namespace FeedFunctions.Packages;

/// <summary>
/// The boolean elements. NuGet reads each one differently: requireLicenseAcceptance compares with "True" ignoring
/// case (so "1" is false), developmentDependency uses bool.Parse (so "1" throws), serviceable uses XmlConvert (so
/// "TRUE" throws). A value is accepted only when it is true or false (nuget.org's rule) and NuGet reads the same.
/// </summary>
internal static class NuspecFlags
{
    public static bool RequireLicenseAcceptance(NuspecReader nuspec) =>
        Read(nuspec, "requireLicenseAcceptance", nuspec.GetRequireLicenseAcceptance);

    public static bool DevelopmentDependency(NuspecReader nuspec) =>
        Read(nuspec, "developmentDependency", nuspec.GetDevelopmentDependency);

    public static bool Serviceable(NuspecReader nuspec) =>
        Read(nuspec, "serviceable", nuspec.IsServiceable);

    private static bool Read(NuspecReader nuspec, string name, Func<bool> readByNuGet)
    {
        var text = nuspec.GetMetadataValue(name);
        bool? stated = null;
        if (text.Length > 0)
        {
            stated = bool.TryParse(text, out var value)
                ? value
                : throw new InvalidPackageException($"The <{name}> value {ErrorText.Quote(text)} is not true or false.");
        }

        var read = NuGetRead.Get(readByNuGet, _ => stated is null
            ? $"The <{name}> value {ErrorText.Quote(text)} is not true or false."
            : Differently(name, text));
        return stated is null || stated == read ? read : throw new InvalidPackageException(Differently(name, text));
    }

    private static string Differently(string name, string text) =>
        $"The <{name}> value {ErrorText.Quote(text)} is read differently by NuGet; use 'true' or 'false'.";
}
