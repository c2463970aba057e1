// Package apperr is the one error type that crosses module boundaries and reaches the
// HTTP layer. Its Message is always safe to show a shopper; the wrapped cause is for logs.
package apperr

import (
	"errors"
	"fmt"
)

// Code classifies an error by what the caller should do about it, not by where it came from.
type Code string

const (
	Internal     Code = "internal"
	Invalid      Code = "invalid"
	NotFound     Code = "not_found"
	Conflict     Code = "conflict"
	Unauthorized Code = "unauthorized"
	Forbidden    Code = "forbidden"
	TooMany      Code = "too_many"
	TooLarge     Code = "too_large"
)

// Error carries a code, a message fit for the person using the shop, optional per-field
// messages for forms, and the underlying cause that only the logs see.
type Error struct {
	Code    Code
	Message string
	Fields  map[string]string
	Cause   error
}

func (e *Error) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Cause)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Cause }

// New returns an error with a safe message.
func New(code Code, message string) *Error {
	return &Error{Code: code, Message: message}
}

// Wrap keeps cause for the logs while showing only message.
func Wrap(cause error, code Code, message string) *Error {
	return &Error{Code: code, Message: message, Cause: cause}
}

// InvalidFields builds a validation error with per-field messages for re-rendering a form.
func InvalidFields(message string, fields map[string]string) *Error {
	return &Error{Code: Invalid, Message: message, Fields: fields}
}

// CodeOf returns the code of the first *Error in err's chain, or Internal for anything
// else: an error nobody classified is a bug, and bugs are internal.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// MessageOf returns a message safe to show. Internal errors never leak their text.
func MessageOf(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != Internal && e.Message != "" {
		return e.Message
	}
	return "Something went wrong on our side. Please try again in a moment."
}

// FieldsOf returns the per-field messages of err, if any.
func FieldsOf(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Is reports whether err carries code.
func Is(err error, code Code) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}
