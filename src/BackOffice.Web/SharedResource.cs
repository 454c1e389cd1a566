namespace BackOffice.Web;

/// <summary>Marker for the UI texts in Resources/SharedResource.resx (German; the neutral culture).</summary>
public sealed class SharedResource;
