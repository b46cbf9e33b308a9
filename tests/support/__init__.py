"""Helpers the test suite shares: throwaway servers and the fixtures that hand them out."""
