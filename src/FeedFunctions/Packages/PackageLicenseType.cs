namespace FeedFunctions.Packages;

public enum PackageLicenseType
{
    Expression,
    File,
}
