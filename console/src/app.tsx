import { useEffect, useState } from 'react';
import { BrowserRouter, NavLink, Navigate, Route, Routes, useNavigate } from 'react-router';
import { tokenStore, whenUnauthorized } from './api';
import { LoginPage } from './pages/login';
import { OverviewPage } from './pages/overview';
import { ProvidersPage } from './pages/providers';
import { AccountsPage } from './pages/accounts';
import { ProxiesPage } from './pages/proxies';
import { KeysPage } from './pages/keys';
import { KeyPage } from './pages/key';
import { LogsPage } from './pages/logs';
import { LogPage } from './pages/log';

const NAV = [
  ['/', 'Overview'],
  ['/providers', 'Providers & routes'],
  ['/accounts', 'Accounts'],
  ['/proxies', 'Proxies'],
  ['/keys', 'Keys'],
  ['/logs', 'Request logs'],
] as const;

function Shell({ onLogout }: { onLogout: () => void }) {
  return (
    <div className="shell">
      <nav className="nav">
        <div className="brand">AIGateway</div>
        {NAV.map(([to, label]) => (
          <NavLink key={to} to={to} end={to === '/'} data-testid={`nav-${label.split(' ')[0]!.toLowerCase()}`}>
            {label}
          </NavLink>
        ))}
        <button type="button" className="logout" data-testid="logout" onClick={onLogout}>
          Log out
        </button>
      </nav>
      <main className="main">
        <Routes>
          <Route path="/" element={<OverviewPage />} />
          <Route path="/providers" element={<ProvidersPage />} />
          <Route path="/accounts" element={<AccountsPage />} />
          <Route path="/proxies" element={<ProxiesPage />} />
          <Route path="/keys" element={<KeysPage />} />
          <Route path="/keys/:id" element={<KeyPage />} />
          <Route path="/logs" element={<LogsPage />} />
          <Route path="/logs/:requestId" element={<LogPage />} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </main>
    </div>
  );
}

function Gate() {
  const [token, setToken] = useState(tokenStore.get());
  const navigate = useNavigate();
  useEffect(() => {
    whenUnauthorized(() => {
      tokenStore.clear();
      setToken(null);
    });
  }, []);
  if (token === null) {
    return (
      <LoginPage
        onLogin={(t) => {
          tokenStore.set(t);
          setToken(t);
        }}
      />
    );
  }
  return (
    <Shell
      onLogout={() => {
        tokenStore.clear();
        setToken(null);
        void navigate('/');
      }}
    />
  );
}

export function App() {
  return (
    <BrowserRouter basename="/ui">
      <Gate />
    </BrowserRouter>
  );
}
