namespace FeedFunctions.Storage;

public enum StorageService
{
    Blob,
    Queue,
    Table,
}
