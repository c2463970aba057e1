package catalog

// RenderImageFiles runs the work of the image rendering job (renderImageFiles) in the
// calling goroutine, so TestReadModel can publish uploaded images at a point of its
// choosing, reproducibly, without a job queue.
var RenderImageFiles = (*Service).renderImageFiles
